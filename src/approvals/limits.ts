/**
 * The card shows the whole statement or the change is refused: an approver never decides on text
 * they cannot see. Adaptive Card TextBlocks render this much comfortably in Teams.
 */
export const MAX_APPROVAL_SQL_CHARS = 6000;

/** Longer input is refused before it is even read (the guard's lexer is linear, this bounds its cost). */
export const MAX_REQUEST_SQL_CHARS = 20_000;
