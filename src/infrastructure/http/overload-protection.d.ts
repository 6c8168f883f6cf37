/** The part of overload-protection 1.2 (no types of its own) that the load shedder uses. */
declare module 'overload-protection' {
  interface OverloadProtectionOptions {
    production?: boolean;
    clientRetrySecs?: number;
    sampleInterval?: number;
    maxEventLoopDelay?: number;
    maxHeapUsedBytes?: number;
    maxRssBytes?: number;
    errorPropagationMode?: boolean;
    logging?: false | string | ((message: unknown) => void);
    logStatsOnReq?: boolean;
  }
  interface OverloadProtection {
    (req: unknown, res: unknown, next?: () => void): boolean | undefined;
    /** True while the last sample was over a threshold. */
    readonly overload: boolean;
    readonly eventLoopOverload: boolean;
    /** The last sample's event-loop delay, in ms. */
    readonly eventLoopDelay: number;
    readonly maxEventLoopDelay: number;
    /** Stops sampling. */
    stop(): void;
  }
  function protect(
    framework: 'express' | 'http' | 'koa' | 'restify',
    options?: OverloadProtectionOptions,
  ): OverloadProtection;
  export = protect;
}
