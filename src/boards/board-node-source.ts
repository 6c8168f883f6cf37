import { Injectable } from '@nestjs/common';
import {
  type NodeViewer,
  NodeRegistry,
  RegisteredNodeSource,
} from '../infrastructure/graphql/nodes/node-registry';
import { toBoardModel } from './board.mapper';
import { BoardsService } from './boards.service';

/** `node(id:)` for boards: a board the viewer may read (as `board(slug:)`). */
@Injectable()
export class BoardNodeSource extends RegisteredNodeSource {
  readonly typeName = 'Board';

  constructor(
    registry: NodeRegistry,
    private readonly boards: BoardsService,
  ) {
    super(registry);
  }

  async find(id: string, { principal }: NodeViewer): Promise<object | null> {
    const board = await this.boards.byId(id);
    return board !== null && (await this.boards.canRead(board, principal))
      ? toBoardModel(board)
      : null;
  }
}
