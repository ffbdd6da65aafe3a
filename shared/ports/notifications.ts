/** Messages to people, beside the broadcasts themselves. The SNS adapter implements it. */

/**
 * Tells the comms leads something waits for their approval. Holds ids, an incident title, staff
 * user names and a console link: never a passenger's data, since e-mail and SMS carry it.
 */
export interface ApprovalNotice {
  /** What waits: a broadcast with free text, or a template version submitted for review. */
  kind: 'broadcast' | 'template';
  /** The broadcast's id, or the template's id and version as `<id>@v<n>`. */
  id: string;
  /** An e-mail subject: ASCII, one line, under 100 characters (SNS refuses others). */
  subject: string;
  /** The message itself, ending with the console link. */
  text: string;
  /** Where in the console it is approved. */
  link: string;
}

export interface ApprovalNotifier {
  notify(notice: ApprovalNotice): Promise<void>;
}
