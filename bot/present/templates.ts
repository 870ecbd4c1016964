/**
 * Every bundled card template, so the composition root can prepare them all at start-up: parsing a
 * template's `${…}` expressions costs ~100 ms the first time in a process (the result card, measured
 * in a CPU profile of the compiled bot), which the first person to get each card would otherwise wait.
 */
import approvalTemplate from './templates/approval.json';
import errorTemplate from './templates/error.json';
import memoriesTemplate from './templates/memories.json';
import progressTemplate from './templates/progress.json';
import privateTemplate from './templates/result-private.json';
import resultTemplate from './templates/result.json';
import signinChannelTemplate from './templates/signin-channel.json';
import { prepareTemplate } from './expand';

export const CARD_TEMPLATES: readonly object[] = [approvalTemplate, errorTemplate, memoriesTemplate, progressTemplate, privateTemplate, resultTemplate, signinChannelTemplate];

export function prepareCardTemplates(): void {
  for (const template of CARD_TEMPLATES) prepareTemplate(template);
}
