/** Absolute path of the Node 24 binary that GitHub's runners use for `runs.using: node24`. */
export declare const node24Path: string;
