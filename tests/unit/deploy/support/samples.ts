/** Sample values for the toolkit placeholders, shaped like what provisioning writes. */
export const SAMPLE_APP_CLIENT_ID = '3f1c9a52-8d4e-4b7a-9c21-5e6f7a8b9c0d';

export const SAMPLE_ENV: Record<string, string> = {
  TEAMS_APP_ID: '0b6d2c1e-4f3a-4e5b-8c7d-9a0b1c2d3e4f',
  APP_NAME_SUFFIX: 'local',
  BOT_ID: SAMPLE_APP_CLIENT_ID,
  AAD_APP_CLIENT_ID: SAMPLE_APP_CLIENT_ID,
  AAD_APP_OBJECT_ID: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d',
  AAD_APP_ACCESS_AS_USER_PERMISSION_ID: 'c4d5e6f7-0a1b-4c2d-9e3f-4a5b6c7d8e9f',
  BOT_DOMAIN: 'dataagent1a2b3c.azurewebsites.net',
};
