// tools/node24 is plain JavaScript without types; it exports the path of the Node 24 binary.
declare module '@smartsheet-offboard/node24' {
  export const node24Path: string;
}
