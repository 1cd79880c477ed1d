// Prints the README's settings table from the code's list of settings: `node --import ./scripts/register.mjs scripts/settings-table.mjs`
const { SETTINGS } = await import('@brandshelf/core');
console.log('| Variable | Default | Meaning |\n| --- | --- | --- |');
for (const s of SETTINGS) console.log(`| \`${s.name}\` | ${s.default ? '`' + s.default + '`' : ''} | ${s.meaning} |`);
