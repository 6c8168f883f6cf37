import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One person's vote on one thread or comment, keyed by HMAC(vote, account, target) — never an account id. */
@Entity({ name: 'votes' })
@Index('idx_votes_voter_token', ['voterToken'])
export class VoteEntity {
  @PrimaryColumn({ name: 'target_id', type: 'varchar', length: 36 })
  targetId!: string;

  @PrimaryColumn({ name: 'voter_token', type: 'varchar', length: 64 })
  voterToken!: string;

  @Column({ type: 'integer' })
  value!: number;
}
