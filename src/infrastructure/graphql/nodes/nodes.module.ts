import { Global, Module } from '@nestjs/common';
import { NodeRegistry } from './node-registry';
import { NodeResolver } from './node.resolver';

/** `node(id:)`: the registry each module adds its types' sources to. */
@Global()
@Module({ providers: [NodeRegistry, NodeResolver], exports: [NodeRegistry] })
export class NodesModule {}
