// SPDX-License-Identifier: MIT
// jstat ships no type declarations and is CommonJS (its default export is the jStat object);
// only the Student-t quantile is used here.
declare module 'jstat' {
  const jStat: {
    studentt: { inv(p: number, dof: number): number };
  };
  export default jStat;
}
