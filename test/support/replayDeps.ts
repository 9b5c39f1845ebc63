import type { ReplayDeps } from '../../src/flows/operations/replayParked';
import { HubMappings } from '../../src/mapping/mappingNames';
import type { EcpOrdersPort } from '../../src/ports/EcpOrdersPort';
import { FakeEcp, InMemoryParked, RecordingLifecycle, RecordingSender, InMemoryInFlight } from './fakes';
import { orderMappings, projectMappings } from './mappings';

/** What a replay needs, in memory, with the project's mappings in force; the ECP a parked event is fetched from again. */
export function replayDeps(
  now: Date,
  ecp: EcpOrdersPort = new FakeEcp(),
): ReplayDeps & { parked: InMemoryParked; sender: RecordingSender } {
  const parked = new InMemoryParked();
  const sender = new RecordingSender();
  return {
    parked,
    sender,
    now: () => now,
    mappingsInForce: { orderMappings, updateMapping: projectMappings.get(HubMappings.CANONICAL_UPDATE_TO_ECP_ORDER_UPDATE.name) },
    orderEvents: {
      ownClientName: 'order-hub',
      ecp,
      sender,
      inFlight: new InMemoryInFlight(),
      parked,
      lifecycle: new RecordingLifecycle(),
      orderNotFoundGraceMs: 60_000,
      now: () => now,
    },
  };
}
