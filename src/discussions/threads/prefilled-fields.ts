import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from 'graphql';

/**
 * Fields of Thread that have a Nest field resolver (the fallback) but that a page may fill onto
 * its Thread objects from one batched read when it is built. A filled value is answered as a
 * plain property; a Thread built anywhere else (a single thread, search, bookmarks, a payload...)
 * carries none, and its field resolves through the resolver exactly as before.
 */
export const PREFILLED_THREAD_FIELDS = ['viewerVote', 'board'] as const;

/**
 * Lets a filled value on the parent object answer a field before its resolver: the resolver
 * Nest builds for a `@ResolveField` (parameter decorators, an async call per object) costs far
 * more per thread than reading a property, and a page of 20 threads calls it 20 times.
 */
export function preferPrefilled(
  schema: GraphQLSchema,
  typeName: string,
  fieldNames: readonly string[],
): void {
  const type = schema.getType(typeName);
  if (!isObjectType(type)) throw new Error(`No object type ${typeName} in the schema.`);
  const fields = type.getFields();
  for (const name of fieldNames) {
    const field = fields[name];
    const resolve = field?.resolve;
    if (resolve === undefined) throw new Error(`${typeName}.${name} has no resolver to prefer.`);
    const prefilled: GraphQLFieldResolver<Record<string, unknown>, unknown> = (
      source,
      args,
      context,
      info,
    ) => {
      const value = source[name];
      return value === undefined ? resolve(source, args, context, info) : value;
    };
    field.resolve = prefilled as typeof resolve;
  }
}

/** Installs the prefilled path of Thread's per-viewer fields once the schema is built. */
@Injectable()
export class PrefilledThreadFields implements OnApplicationBootstrap {
  constructor(private readonly modules: ModuleRef) {}

  onApplicationBootstrap(): void {
    // The schema host belongs to the GraphQL module, which this module does not import.
    const { schema } = this.modules.get(GraphQLSchemaHost, { strict: false });
    preferPrefilled(schema, 'Thread', PREFILLED_THREAD_FIELDS);
  }
}

/**
 * Whether the operation selects `path` under the field being resolved (e.g. `edges`, `node`,
 * `viewerVote` under a connection), through inline fragments and named fragments. `@skip` and
 * `@include` are not evaluated: a conditional selection counts as selected, which only costs
 * a read that was not needed.
 */
export function selectsPath(info: GraphQLResolveInfo, path: readonly string[]): boolean {
  return info.fieldNodes.some(
    (node: FieldNode) => node.selectionSet !== undefined && under(info, node.selectionSet, path, 0),
  );
}

function under(
  info: GraphQLResolveInfo,
  set: SelectionSetNode,
  path: readonly string[],
  depth: number,
): boolean {
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== path[depth]) continue;
      if (depth === path.length - 1) return true;
      if (
        selection.selectionSet !== undefined &&
        under(info, selection.selectionSet, path, depth + 1)
      )
        return true;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (under(info, selection.selectionSet, path, depth)) return true;
    } else {
      const fragment = info.fragments[selection.name.value];
      if (fragment !== undefined && under(info, fragment.selectionSet, path, depth)) return true;
    }
  }
  return false;
}

/**
 * The response keys (aliases as asked) at which the operation selects `path` under the field
 * being resolved, one list per way it is selected, through inline fragments and named
 * fragments; null when a selection on the way is conditional (`@skip`, `@include`), whose
 * keys depend on the variables.
 */
export function selectedKeys(
  info: GraphQLResolveInfo,
  path: readonly string[],
): readonly (readonly string[])[] | null {
  const found: string[][] = [];
  for (const node of info.fieldNodes) {
    if (node.selectionSet !== undefined && !keysUnder(info, node.selectionSet, path, [], found))
      return null;
  }
  return found;
}

/** Adds to `found` the keys of `path` past `keys` under `set`; false at a conditional selection on the way. */
function keysUnder(
  info: GraphQLResolveInfo,
  set: SelectionSetNode,
  path: readonly string[],
  keys: readonly string[],
  found: string[][],
): boolean {
  const depth = keys.length;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD && selection.name.value !== path[depth]) continue;
    if (selection.directives !== undefined && selection.directives.length > 0) return false;
    if (selection.kind === Kind.FIELD) {
      const at = [...keys, selection.alias?.value ?? selection.name.value];
      if (depth === path.length - 1) found.push(at);
      else if (
        selection.selectionSet !== undefined &&
        !keysUnder(info, selection.selectionSet, path, at, found)
      )
        return false;
    } else {
      const fragment =
        selection.kind === Kind.INLINE_FRAGMENT ? selection : info.fragments[selection.name.value];
      if (fragment === undefined) continue;
      if (fragment.directives !== undefined && fragment.directives.length > 0) return false;
      if (!keysUnder(info, fragment.selectionSet, path, keys, found)) return false;
    }
  }
  return true;
}
