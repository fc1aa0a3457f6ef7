// The Node.js side of redwire's Redlock interop test: the `redlock` package (pinned in
// package-lock.json) over ioredis, driven one command per line through a FIFO.
//
//   node redlock_peer.js <port,port,...> <fifo>
//
// Commands: `acquire <resource[,resource...]> <ttl_ms>`, `extend <ttl_ms>`, `release`, `quit`.
// Each answer is one line on stdout, numbered like the command it answers:
//   <n> ACQUIRED <value> | <n> EXTENDED | <n> RELEASED | <n> <COMMAND>-FAILED <message>
'use strict';

const fs = require('fs');
const readline = require('readline');
const Redis = require('ioredis');
const Redlock = require('redlock');

const [ports, fifo] = process.argv.slice(2);
const clients = ports.split(',').map((port) => new Redis({ host: '127.0.0.1', port: Number(port) }));
// The guide's options, without retries: the test decides when to try again.
const redlock = new Redlock(clients, {
  driftFactor: 0.01,
  retryCount: 0,
  retryDelay: 200,
  retryJitter: 200,
});
redlock.on('clientError', () => {});

async function main() {
  let lock = null;
  let n = 0;
  const commands = readline.createInterface({ input: fs.createReadStream(fifo) });
  for await (const line of commands) {
    n += 1;
    const [command, ...args] = line.trim().split(' ');
    try {
      if (command === 'acquire') {
        lock = await redlock.acquire(args[0].split(','), Number(args[1]));
        console.log(`${n} ACQUIRED ${lock.value}`);
      } else if (command === 'extend') {
        await lock.extend(Number(args[0]));
        console.log(`${n} EXTENDED`);
      } else if (command === 'release') {
        await redlock.release(lock);  // 4.2.0: Lock has unlock(), Redlock has release()
        console.log(`${n} RELEASED`);
      } else if (command === 'quit') {
        console.log(`${n} BYE`);
        break;
      } else {
        console.log(`${n} UNKNOWN ${command}`);
      }
    } catch (e) {
      console.log(`${n} ${command.toUpperCase()}-FAILED ${String(e.message).replace(/\n/g, ' ')}`);
    }
  }
  clients.forEach((c) => c.disconnect());
}

main().then(
  () => process.exit(0),
  (e) => {
    console.log(`FATAL ${e.stack}`);
    process.exit(1);
  },
);
