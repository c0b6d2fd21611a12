/** One element of the client-SDK `/evaluations` response (`sdk-api.md` §9.3). */
export interface Evaluation {
  flag: string;
  identifier: string;
  kind: string;
  value: string;
}
