// Reads the rfm view with node-postgres (pg from npm), the way Node BI
// backends (Grafana plugins, dashboards, Cube...) do: result.fields metadata,
// values as the driver hands them over, parameters, binary results.
//
//   node check.js HOST PORT DB EXPECTED_DIR
//
// EXPECTED_DIR holds psql's output for the same queries (report.tsv,
// rows.tsv, written by node.sh). Prints `ok   - ...` / `FAIL - ...` lines and
// `# ...` notes; exits 2 if it could not run.
'use strict';
const fs = require('fs');
const path = require('path');
const { Client } = require('pg');

let passed = 0;
let failed = 0;
const ok = (what) => { passed++; console.log(`ok   - ${what}`); };
const fail = (what, detail) => {
  failed++;
  console.log(`FAIL - ${what}`);
  if (detail) for (const l of String(detail).split('\n')) console.log(`         ${l}`);
};
const check = (what, expected, actual) => {
  const e = JSON.stringify(expected);
  const a = JSON.stringify(actual);
  if (e === a) ok(what); else fail(what, `expected: ${e}\ngot:      ${a}`);
};
const note = (s) => console.log(`     # ${s}`);

const REPORT = `SELECT segment, count(*) AS customers, sum(spend_last_year) AS revenue
                FROM customer_rfm GROUP BY segment ORDER BY segment`;
const ROWS = `SELECT customer_id, s, recency_days, orders_last_year, spend_last_year, score, segment, loyalty
              FROM customer_rfm ORDER BY customer_id`;

// Rows as psql -At -F '\t' prints them (NULL as empty).
const tsv = (res) => res.rows.map((r) => res.fields.map((f) => (r[f.name] === null ? '' : String(r[f.name]))).join('\t'))
  .map((l) => `${l}\n`).join('');

async function main() {
  const [host, port, database, expectedDir] = process.argv.slice(2);
  const reportTsv = fs.readFileSync(path.join(expectedDir, 'report.tsv'), 'utf8');
  const rowsTsv = fs.readFileSync(path.join(expectedDir, 'rows.tsv'), 'utf8');
  // TCP on loopback, as a BI server connects (not the Unix socket).
  const client = new Client({ host, port: Number(port), database, user: 'postgres' });
  await client.connect();
  try {
    note(`pg ${require('pg/package.json').version}, node ${process.version}, ` +
         (await client.query('SELECT version()')).rows[0].version.split(' on ')[0]);

    const oidRes = await client.query(`SELECT typname, oid::int AS oid FROM pg_type
        WHERE typname IN ('rfm_summary', 'rfm_score', 'segment', 'loyalty_class', 'int4', 'int8', 'numeric', 'text')`);
    const oid = Object.fromEntries(oidRes.rows.map((r) => [r.typname, r.oid]));

    // The segment report.
    const report = await client.query(REPORT);
    check('report fields: dataTypeID = pg_type OIDs of segment, int8, numeric',
      [oid.segment, oid.int8, oid.numeric], report.fields.map((f) => f.dataTypeID));
    check('report: every value a string (segment: unknown OID, count: int8, sum: numeric)',
      ['string', 'string', 'string'], [...new Set(report.rows.map((r) => Object.values(r).map((v) => typeof v).join(',')))]
        .join(';').split(','));
    check('segment report equals psql\'s, best segment first', reportTsv, tsv(report));

    // Every rfm column of every customer.
    const rows = await client.query(ROWS);
    check('view fields: dataTypeID = pg_type OIDs',
      [oid.int4, oid.rfm_summary, oid.int4, oid.int8, oid.numeric, oid.rfm_score, oid.segment, oid.loyalty_class],
      rows.fields.map((f) => f.dataTypeID));
    check('rfm columns arrive as strings (s, score, segment, loyalty), int4 as number',
      ['number', 'string', 'number', 'string', 'string', 'string', 'string', 'string'],
      rows.fields.map((f) => typeof rows.rows[0][f.name]));
    check('every column of every customer as text equals psql\'s', rowsTsv, tsv(rows));

    // One customer, the values a report shows.
    const one = await client.query(`SELECT score, score::int AS score_int, score::text AS score_text,
        segment, segment_label(segment) AS label, loyalty, s::text = s::text AS same
        FROM customer_rfm WHERE customer_id = 1`);
    check('customer 1: score "554", score::int 554 (a number), segment, label, loyalty',
      { score: '554', score_int: 554, score_text: '554', segment: 'champions', label: 'Champions', loyalty: 'loyal', same: true },
      one.rows[0]);
    check('score::int field is int4', oid.int4, one.fields[1].dataTypeID);

    // Filters as query parameters: pg sends them untyped, the server infers
    // segment / loyalty_class, so this works (unlike JDBC's varchar).
    const f = await client.query('SELECT count(*)::int AS n FROM customer_rfm WHERE segment = $1 AND loyalty = $2',
      ['loyal', 'loyal']);
    const lit = await client.query("SELECT count(*)::int AS n FROM customer_rfm WHERE segment = 'loyal' AND loyalty = 'loyal'");
    check('WHERE segment = $1 AND loyalty = $2 with string parameters', lit.rows[0].n, f.rows[0].n);
    const g = await client.query('SELECT count(*)::int AS n FROM customer_rfm WHERE segment = ANY($1)', [['champions', 'loyal']]);
    const glit = await client.query("SELECT count(*)::int AS n FROM customer_rfm WHERE segment IN ('champions', 'loyal')");
    check('WHERE segment = ANY($1) with a string array', glit.rows[0].n, g.rows[0].n);
    try {
      await client.query('SELECT count(*) FROM customer_rfm WHERE segment = $1', ['Loyal']);
      fail('a wrong label is an error', 'no error');
    } catch (e) {
      check('a wrong label is an error (22P02) with a hint listing the labels',
        ['22P02', true], [e.code, /champions, loyal, potential_loyalist/.test(e.hint || '')]);
    }

    // A type parser for rfm_score, as an app would register it.
    const { types } = require('pg');
    const parsed = await client.query({
      text: 'SELECT score FROM customer_rfm WHERE customer_id = 1',
      types: { getTypeParser: (id, format) => (id === oid.rfm_score ? (v) => parseInt(v, 10) : types.getTypeParser(id, format)) },
    });
    check('custom type parser: rfm_score as a number', 554, parsed.rows[0].score);

    // Binary results (binary: true asks for every column in binary). pg
    // decodes the types it knows and hands the others over as the send
    // form's bytes read as UTF-8: a readable value only if the type sends
    // text. segment and loyalty_class send their label (like an enum);
    // rfm_score must send its three digits too, or it arrives as two raw
    // bytes ("\u0002*" for 554).
    const bin = await client.query({
      text: 'SELECT score, segment, loyalty, orders_last_year FROM customer_rfm WHERE customer_id = $1',
      values: [1],
      binary: true,
    });
    const b = bin.rows[0];
    const kind = (v) => (Buffer.isBuffer(v) ? `Buffer ${v.toString('hex')}` : `${typeof v} ${JSON.stringify(v)}`);
    note(`binary: score ${kind(b.score)}, segment ${kind(b.segment)}, orders_last_year ${kind(b.orders_last_year)}`);
    const asText = (v) => (Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
    check('binary: segment, loyalty and score arrive readable (as in text mode)',
      ['champions', 'loyal', '554'], [asText(b.segment), asText(b.loyalty), asText(b.score)]);
  } finally {
    await client.end();
  }
  console.log(`# node: ${passed} passed, ${failed} failed`);
}

main().catch((e) => { console.log(`FAIL - node check aborted: ${e.stack || e}`); process.exit(2); });
