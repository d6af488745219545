// The subset of Slack's Block Kit the factory sends, as plain JSON-safe types: they survive
// Inngest step serialisation and Prisma Json columns unchanged.

export type PlainText = { type: "plain_text"; text: string; emoji?: boolean };
export type Mrkdwn = { type: "mrkdwn"; text: string };

export type SlackBlock =
  | { type: "header"; text: PlainText }
  | { type: "section"; text?: Mrkdwn; fields?: Mrkdwn[] }
  | { type: "context"; elements: Mrkdwn[] }
  | { type: "divider" }
  | { type: "actions"; elements: { type: "button"; text: PlainText; url: string; action_id: string; style?: "primary" }[] };

/** An incoming-webhook message: `text` is the notification and screen-reader fallback. */
export type SlackMessage = { text: string; blocks: SlackBlock[] };

/** Slack's documented Block Kit limits; a message over them is refused with invalid_blocks. */
export const slackLimits = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fields: 10,
  fieldText: 2000,
  buttonText: 75,
  buttonUrl: 3000,
} as const;
