/**
 * The Genie budget of the shared test stack, raised from Databricks' 5 questions a minute so suites
 * sharing the stack do not queue behind each other; the limiter itself is tested on its own
 * emulators with the real budget.
 */
export const TEST_GENIE_POSTS_PER_MINUTE = 120;

/** Per-user message rate of test and bench bots: load users send turns back to back; the limit itself has its own tests. */
export const TEST_USER_MESSAGES_PER_MINUTE = 10_000;
