// Ignores SIGTERM, so only SIGKILL ends it; says "ready" once the handler is in place.
process.on('SIGTERM', () => {});
setInterval(() => {}, 1000);
process.stdout.write('ready\n');
