import type { UserDatabricks } from '../../src/agents/ports';

/** For stacks whose code never pages, downloads or sends feedback (the agents): calling one is a test bug. */
export function unusedGenieExtras(): Pick<UserDatabricks, 'genieResults' | 'genieFeedback'> {
  return {
    genieResults: () => {
      throw new Error('genieResults is not used here');
    },
    genieFeedback: () => {
      throw new Error('genieFeedback is not used here');
    },
  };
}
