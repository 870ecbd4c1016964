import type { Container } from '@azure/cosmos';
import { isCosmosStatus, mapCosmosError } from './cosmos-errors';
import { itemIdOf } from './item-ids';
import type { Dedupe } from './ports';

/**
 * Create-if-absent claims (container `dedupe`, partition key `/id`): the service's 409 on a
 * duplicate id makes exactly one claimant win across instances. Markers expire by container TTL;
 * correctness never depends on that.
 */
export class CosmosDedupe implements Dedupe {
  constructor(private readonly container: Container) {}

  async claim(key: string): Promise<boolean> {
    try {
      await this.container.items.create({ id: itemIdOf(key), key: key.slice(0, 1024), claimedAt: new Date().toISOString() });
      return true;
    } catch (error) {
      if (isCosmosStatus(error, 409)) return false;
      throw mapCosmosError(error, 'claim dedupe key');
    }
  }
}
