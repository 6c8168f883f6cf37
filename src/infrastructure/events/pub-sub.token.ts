/** Injection token of the subscriptions' pub/sub engine (PubSubModule). */
export const PUB_SUB = Symbol('PUB_SUB');
