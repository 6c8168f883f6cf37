import { randomUUID } from 'node:crypto';
import { BoardEntity } from '../../../src/boards/board.entity';
import { MIGRATIONS } from '../../../src/infrastructure/database/migrations';
import { ContentEraseDeletedText1795737600100 } from '../../../src/infrastructure/database/migrations/content/1795737600100-content-erase-deleted-text';
import { openStore } from '../../../src/infrastructure/database/store-bootstrap';
import { CommentEntity } from '../../../src/posts/comment.entity';
import { ContentStatus } from '../../../src/posts/content-status';
import { ThreadEntity } from '../../../src/posts/thread.entity';
import { storeOptions } from '../../../src/store-entities';
import { dumpStore } from '../../utils/store-dump';
import { storesPerTest } from '../../utils/test-env';

describe('Content migration: the text of posts deleted by their authors is erased', () => {
  const current = storesPerTest();

  const post = (id: string, text: string, status: ContentStatus) => ({
    id,
    body: `${text} body`,
    authorHandle: 'Quiet Otter',
    authorLabel: 'a verified employee',
    authorToken: randomUUID(),
    sealedRef: `v1.${randomUUID()}`,
    status,
    score: 0,
    createdAt: new Date(),
    editedAt: null,
    idempotencyKey: null,
  });

  it('empties deleted threads and comments, and leaves every other post as it was', async () => {
    const options = storeOptions(current.config, 'content');
    const before = await openStore({
      ...options,
      migrations: MIGRATIONS.content.filter((m) => m !== ContentEraseDeletedText1795737600100),
    });
    const deletedThread = randomUUID();
    const liveThread = randomUUID();
    const deletedComment = randomUUID();
    const liveComment = randomUUID();
    try {
      const boardId = randomUUID();
      await before.getRepository(BoardEntity).insert({
        id: boardId,
        slug: 'erasure',
        name: 'Erasure',
        kind: 'PUBLIC',
        jurisdiction: 'US',
        companyId: null,
        createdAt: new Date(),
      });
      const thread = (id: string, text: string, status: ContentStatus): ThreadEntity => ({
        ...post(id, text, status),
        boardId,
        title: `${text} title`,
        commentCount: 0,
        hotRank: 0,
      });
      await before
        .getRepository(ThreadEntity)
        .insert([
          thread(deletedThread, 'Zapped thread', ContentStatus.DELETED),
          thread(liveThread, 'Kept thread', ContentStatus.PUBLISHED),
        ]);
      await before.getRepository(CommentEntity).insert(
        [
          [deletedComment, 'Zapped comment', ContentStatus.DELETED],
          [liveComment, 'Kept comment', ContentStatus.REMOVED],
        ].map(([id, text, status]) => ({
          ...post(id, text, status as ContentStatus),
          threadId: liveThread,
          parentId: null,
        })),
      );
      expect(await dumpStore(before)).toContain('zapped');
    } finally {
      await before.destroy();
    }

    const after = await openStore(options);
    try {
      expect(await dumpStore(after)).not.toContain('zapped');
      const threads = after.getRepository(ThreadEntity);
      expect(await threads.findOneByOrFail({ id: deletedThread })).toMatchObject({
        status: ContentStatus.DELETED,
        title: '',
        body: '',
      });
      expect(await threads.findOneByOrFail({ id: liveThread })).toMatchObject({
        title: 'Kept thread title',
        body: 'Kept thread body',
      });
      const comments = after.getRepository(CommentEntity);
      expect(await comments.findOneByOrFail({ id: deletedComment })).toMatchObject({
        status: ContentStatus.DELETED,
        body: '',
      });
      // A post a moderator removed keeps its text: an appeal is decided on it.
      expect(await comments.findOneByOrFail({ id: liveComment })).toMatchObject({
        body: 'Kept comment body',
      });
    } finally {
      await after.destroy();
    }
  });
});
