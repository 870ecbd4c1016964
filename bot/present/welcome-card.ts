/** The welcome / help card: who I am, this conversation's space where it may be shown, starter buttons, commands. */
import type { WelcomeContent } from '../../src/commands/welcome-text';
import { type AdaptiveCard, truncate } from './expand';
import { VERBS } from './verbs';

const text = (value: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: 'TextBlock', text: value, wrap: true, ...extra });

export function renderWelcomeCard(content: WelcomeContent): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      text(content.title, { size: 'Medium', weight: 'Bolder' }),
      text(content.intro),
      ...(content.space
        ? [text(`Space: **${truncate(content.space.title, 120)}**`, { spacing: 'Medium' }), ...(content.space.description ? [text(truncate(content.space.description, 400), { isSubtle: true, spacing: 'None' })] : [])]
        : []),
      text('Try one of these:', { spacing: 'Medium', weight: 'Bolder' }),
      {
        type: 'ActionSet',
        actions: content.starters.map((question) => ({ type: 'Action.Execute', title: truncate(question, 80), verb: VERBS.resultFollowUp, data: { question } })),
      },
      ...content.commands.map((line) => text(`- ${line}`, { spacing: 'Small' })),
      text(content.footer, { isSubtle: true, spacing: 'Medium' }),
    ],
  };
}
