// Types for bench/load.js, which the load test imports from TypeScript.
export declare const root: string;
export declare function generateCases(n: number): string;
export declare function samplePeakRss(pid: number, everyMs?: number): () => number;
