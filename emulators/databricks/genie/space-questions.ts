/**
 * Questions about the space itself ("What data can I ask about here?", "Which tables does this space
 * use?"): Genie answers them in words from the space's title, description and tables, with no query
 * (Databricks, "Use a Genie space to explore business data": users can ask Genie what data the space
 * covers; such answers come back as a text attachment). The bot offers these two as its generic
 * starters, so the emulator must answer them rather than say it could not match them.
 */
import type { Interpretation } from './nl-to-sql';
import { normalize } from './nl-to-sql';
import type { GenieSpaceDefinition } from './spaces';

const ABOUT_DATA = /^(what|which) (data|information|topics?|things)( can| could| do)? (i|we) (ask|query|know)( about)?( here| in this space)?$/;
const ABOUT_TABLES = /^(what|which) tables (does|do|are|is)( this| the)?( space)? ?(use|used|in it|in this space|there|here)?$/;

export function aboutSpace(question: string, space: GenieSpaceDefinition): Interpretation | undefined {
  const q = normalize(question);
  const suggestions = (space.examples.length > 0 ? space.examples.map((e) => e.question) : space.sampleQuestions).slice(0, 3);
  const tables = space.tables.join(', ');
  if (ABOUT_DATA.test(q)) {
    const examples = suggestions.length > 0 ? ` For example: ${suggestions.map((s) => `"${s}"`).join(', ')}.` : '';
    return { kind: 'text', text: `This space, ${space.title}, covers: ${space.description} Its data comes from ${tables}.${examples}`, suggestions };
  }
  if (ABOUT_TABLES.test(q)) return { kind: 'text', text: `This space uses ${space.tables.length === 1 ? 'one table' : `${space.tables.length} tables`}: ${tables}.`, suggestions };
  return undefined;
}
