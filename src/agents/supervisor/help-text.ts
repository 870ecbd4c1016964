export const HELP_TEXT = [
  'I answer questions about your Databricks data and make changes you approve, always as you.',
  '- Ask a question: "How many orders were cancelled in East last year?" (follow-ups continue the conversation).',
  '- Change data: "delete the cancelled orders in East", or give exact SQL with `run: <SQL>` or a ```sql block. I show the SQL and its impact and run it only after you approve.',
  '- Only INSERT, UPDATE, DELETE and MERGE changes are allowed, one statement at a time.',
  '- Memory: "remember my region is West", "what do you remember", "forget my region", "forget everything".',
].join('\n');
