import { Logger } from '@aws-lambda-powertools/logger';

/** A real Powertools logger that prints nothing, for handlers under test. */
export function silentLogger(): Logger {
  return new Logger({ logLevel: 'SILENT' });
}
