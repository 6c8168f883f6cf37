import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { CountColumn, TimestampColumn } from '../infrastructure/database/columns';

/** A thread's poll (content store): its question, kind, closing time and how many people voted. */
@Entity({ name: 'polls' })
export class PollEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Index('idx_polls_thread', { unique: true })
  @Column({ name: 'thread_id', type: 'varchar', length: 36 })
  threadId!: string;

  @Column({ type: 'varchar', length: 1200 })
  question!: string;

  @Column({ name: 'multiple_choice', type: 'boolean' })
  multipleChoice!: boolean;

  /** Null: open until the thread goes. */
  @TimestampColumn({ name: 'closes_at', nullable: true })
  closesAt!: Date | null;

  /** People who voted (each once, whatever the number of options they chose). */
  @CountColumn({ name: 'voter_count' })
  voterCount!: number;

  /** The closing was announced to the thread's author (PollClosing), so it is announced once. */
  @Column({ name: 'close_announced', type: 'boolean' })
  closeAnnounced!: boolean;
}

/** One option of a poll, in its place, with the number of people who chose it. */
@Entity({ name: 'poll_options' })
@Index('idx_poll_options_poll', ['pollId', 'position'], { unique: true })
export class PollOptionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'poll_id', type: 'varchar', length: 36 })
  pollId!: string;

  @CountColumn()
  position!: number;

  @Column({ type: 'varchar', length: 600 })
  text!: string;

  @CountColumn()
  votes!: number;
}

/**
 * One chosen option of one person's vote on a poll, keyed by HMAC(poll-vote, account, poll) —
 * never an account id — and nothing else: no time, no order (WITHOUT ROWID on SQLite).
 */
@Entity({ name: 'poll_votes' })
@Index('idx_poll_votes_voter_token', ['voterToken'])
export class PollVoteEntity {
  @PrimaryColumn({ name: 'poll_id', type: 'varchar', length: 36 })
  pollId!: string;

  @PrimaryColumn({ name: 'voter_token', type: 'varchar', length: 64 })
  voterToken!: string;

  @PrimaryColumn({ name: 'option_id', type: 'varchar', length: 36 })
  optionId!: string;
}
