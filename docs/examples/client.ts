/**
 * A small typed client for the forum's GraphQL API over fetch, and a script that uses it:
 * signs in as a demo member, posts a thread on a public board and prints the thread's id and
 * the author's pseudonym. Run it against the demo (docs/examples/README.md):
 *
 *   npx tsc -p docs/examples && node dist/examples/client.js
 *
 * FORUM_URL (default http://localhost:3000), FORUM_EMAIL, FORUM_PASSWORD and FORUM_BOARD
 * (a public board's slug) override the defaults.
 *
 * The operations are in operations.graphql; their result and variables types, and the
 * documents sent, are generated from the server's schema.gql into generated/graphql.ts by
 * `npm run examples:codegen`.
 */
import {
  BoardDocument,
  type BoardQuery,
  CreateThreadDocument,
  type CreateThreadInput,
  type CreateThreadMutation,
  SignInDocument,
  type SignInMutation,
  ThreadDocument,
  type ThreadSummaryFragment,
  type TypedDocumentString,
} from './generated/graphql';

/** One GraphQL error as the server sends it: a stable `extensions.code` (docs/api.md, Errors). */
export interface GraphqlErrorBody {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; reason?: string; [key: string]: unknown };
}

interface GraphqlResponse<TData> {
  data?: TData | null;
  errors?: GraphqlErrorBody[];
}

/** The first error of a failed operation, with its code. */
export class ForumApiError extends Error {
  override readonly name = 'ForumApiError';
  readonly code: string;

  constructor(readonly errors: readonly GraphqlErrorBody[]) {
    super(errors.map((error) => error.message).join('; '));
    this.code = errors[0]?.extensions?.code ?? 'UNKNOWN';
  }
}

/** What the operations answer, as generated from schema.gql (generated/graphql.ts). */
export type Session = SignInMutation['signIn'];
export type Board = NonNullable<BoardQuery['board']>;
export type Thread = ThreadSummaryFragment;
export type ThreadPayload = CreateThreadMutation['createThread'];

export class ForumClient {
  private token: string | undefined;

  constructor(private readonly baseUrl: string) {}

  /** Runs one operation; throws ForumApiError when the answer has errors. */
  async request<TData, TVariables>(
    document: TypedDocumentString<TData, TVariables>,
    variables: TVariables,
  ): Promise<TData> {
    const response = await fetch(`${this.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
      },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const answer = (await response.json()) as GraphqlResponse<TData>;
    if (answer.errors !== undefined && answer.errors.length > 0)
      throw new ForumApiError(answer.errors);
    if (answer.data === undefined || answer.data === null)
      throw new Error(`HTTP ${response.status} without data`);
    return answer.data;
  }

  /** Signs in; later requests carry the session token. */
  async signIn(email: string, password: string): Promise<Session> {
    const { signIn } = await this.request(SignInDocument, { email, password });
    this.token = signIn.token;
    return signIn;
  }

  /** The board, or null when it does not exist or is not yours to read. */
  async board(slug: string): Promise<Board | null> {
    const { board } = await this.request(BoardDocument, { slug });
    return board;
  }

  /** Posts a thread; `clientMutationId` makes a retry return the first thread. */
  async createThread(input: CreateThreadInput): Promise<ThreadPayload> {
    const { createThread } = await this.request(CreateThreadDocument, { input });
    return createThread;
  }

  async thread(id: string): Promise<Thread | null> {
    const { thread } = await this.request(ThreadDocument, { id });
    return thread;
  }
}

async function main(): Promise<void> {
  const client = new ForumClient(process.env.FORUM_URL ?? 'http://localhost:3000');
  await client.signIn(
    process.env.FORUM_EMAIL ?? 'avery@demo.example.org',
    process.env.FORUM_PASSWORD ?? 'demo password 2026',
  );
  const slug = process.env.FORUM_BOARD ?? 'compensation';
  const board = await client.board(slug);
  if (board === null) throw new Error(`No board "${slug}" that this account can read`);
  const { thread, labelNotice, notices } = await client.createThread({
    boardId: board.id,
    title: 'Posted from the example client',
    body: 'Hello from docs/examples/client.ts.',
    disclosure: 'INDUSTRY',
  });
  console.log(`thread ${thread.id} by ${thread.author.handle} (${thread.author.employerLabel})`);
  if (labelNotice !== null) console.log(labelNotice);
  for (const notice of notices)
    console.log(`${notice.jurisdiction} rule "${notice.ruleName}": ${notice.action}`);
}

if (require.main === module)
  main().catch((error: unknown) => {
    console.error(error instanceof ForumApiError ? `${error.code}: ${error.message}` : error);
    process.exit(1);
  });
