import type { BoardEntity } from './board.entity';
import { BoardKind, type Board } from './board.model';

export function toBoardModel(board: BoardEntity): Board {
  return {
    id: board.id,
    slug: board.slug,
    name: board.name,
    kind: board.kind === 'COMPANY' ? BoardKind.COMPANY : BoardKind.PUBLIC,
    jurisdiction: board.jurisdiction,
    companyId: board.companyId,
  };
}
