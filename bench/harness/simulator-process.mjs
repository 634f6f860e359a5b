// The simulator in a child process: `start` (options) → `{ url }`, `audit` (targets) → `{ audit }`, `stop`.
import { startSimulator } from '@smartsheet-offboard/simulator';
import { audit } from './audit.mjs';

let simulator;
process.on('message', async (message) => {
  try {
    if (message.type === 'start') {
      simulator = await startSimulator(message.options);
      process.send({ url: simulator.url });
    } else if (message.type === 'audit') {
      process.send({ audit: audit(simulator, message.targets) });
    } else if (message.type === 'stop') {
      await simulator.stop();
      process.disconnect();
    }
  } catch (error) {
    process.send({ error: String(error?.stack ?? error) });
  }
});
