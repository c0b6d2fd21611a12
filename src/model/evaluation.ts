/** One element of the client-SDK `/evaluations` response (docs/sdk-api.md). */
export interface Evaluation {
  flag: string;
  identifier: string;
  kind: string;
  value: string;
}
