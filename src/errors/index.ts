export { ERROR_CODES, USER_MESSAGES, isErrorCode, type ErrorCode } from './codes';
export { AppError, isAppError, hasCode, type AppErrorOptions } from './app-error';
export { toAppError } from './to-app-error';
