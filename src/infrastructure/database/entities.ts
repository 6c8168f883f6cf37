import type { EntitySchema, MixedList } from 'typeorm';
import { StoreInfoEntity } from './store-info.entity';

type EntityList = MixedList<string | (new () => unknown) | EntitySchema>;

/**
 * Which entity lives in which store. Listed here (rather than discovered) so that the
 * placement of every table is explicit and reviewed: a content entity must never gain a
 * column that points at an account.
 */
export const IDENTITY_ENTITIES: EntityList = [StoreInfoEntity];
export const CONTENT_ENTITIES: EntityList = [StoreInfoEntity];
