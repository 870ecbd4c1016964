import { formatText } from 'adaptivecards/lib/text-formatters';
import { formatDateTimeFunctions } from '../../../emulators/teams/date-time-text';
import { renderAdaptiveCard } from '../../../emulators/teams/card-text';

describe('the Teams driver shows date/time functions as a Teams client does', () => {
  it.each([
    'Expires {{DATE(2026-12-01T12:46:47Z, SHORT)}} {{TIME(2026-12-01T12:46:47Z)}}',
    '{{DATE(2026-12-01T12:46:47Z)}} and {{DATE(2026-12-01T12:46:47+02:00,LONG)}}',
    'raw stays raw: {{DATE(2026-12-01T12:46:47.038Z, SHORT)}} {{date(2026-12-01T12:46:47Z)}}',
    'no functions at all',
  ])('when a TextBlock says %j, then the driver shows what the Adaptive Cards renderer shows', (text) => {
    expect(formatDateTimeFunctions(text, 'en-US')).toBe(formatText('en-US', text));
  });

  it('when a card carries an expiry in UTC, then the transcript shows it in the reader’s zone, not as an ISO string', () => {
    const card = { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: 'Expires {{DATE(2026-12-01T23:30:00Z, SHORT)}} {{TIME(2026-12-01T23:30:00Z)}}' }] };
    expect(formatDateTimeFunctions(card.body[0]!.text, 'en-US', 'America/New_York')).toBe('Expires Tue, Dec 1, 2026 6:30 PM');
    expect(formatDateTimeFunctions(card.body[0]!.text, 'en-GB', 'Asia/Tokyo')).toBe('Expires Wed, 2 Dec 2026 8:30');
    expect(renderAdaptiveCard(card).lines.join('\n')).not.toContain('{{');
  });
});
