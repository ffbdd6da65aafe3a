/** The staff roles Herald knows: Cognito groups in AWS, the local stack's users. */
export const ROLES = ['operator', 'comms_lead', 'viewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];
