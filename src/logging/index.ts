export { createLogger, moduleLogger, silentLogger, LOG_LEVELS, type LogLevel, type Logger, type LoggerOptions } from './logger';
