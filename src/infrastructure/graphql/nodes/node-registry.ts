import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Request } from 'express';
import type { Principal } from '../../auth/principal';

/** Who asks for a node: the request (for its loaders and jurisdictions) and the principal. */
export interface NodeViewer {
  readonly req: Request;
  readonly principal: Principal | undefined;
}

/**
 * One kind of object `node(id:)` can return. `find` answers null when there is no such object
 * or the viewer may not see it, with the same checks as the type's own query (the access
 * policy for posts, roles for staff objects): `node` never shows more than the rest of the API.
 */
export interface NodeSource {
  /** The GraphQL object type it returns. */
  readonly typeName: string;
  find(id: string, viewer: NodeViewer): Promise<object | null>;
}

/**
 * The node sources, registered by the modules that own each type (so this module depends on
 * none of them). Ids are UUIDs across all tables: at most one source finds an id.
 */
@Injectable()
export class NodeRegistry {
  private readonly sources: NodeSource[] = [];

  register(source: NodeSource): void {
    this.sources.push(source);
  }

  /** The object with this id that the viewer may see, tagged with its type; null otherwise. */
  async find(id: string, viewer: NodeViewer): Promise<object | null> {
    const found = await Promise.all(this.sources.map((source) => source.find(id, viewer)));
    const index = found.findIndex((value) => value !== null);
    if (index < 0) return null;
    return { ...found[index], __typename: this.sources[index].typeName };
  }
}

/** A NodeSource that adds itself to the registry when its module starts. */
export abstract class RegisteredNodeSource implements NodeSource, OnModuleInit {
  abstract readonly typeName: string;

  constructor(private readonly registry: NodeRegistry) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  abstract find(id: string, viewer: NodeViewer): Promise<object | null>;
}
