// GrowthBook's official JavaScript SDK pointed at a running Splitrank, as a service would use it:
// the features payload from GET /api/features/{clientKey}, streaming updates from /sub/{clientKey},
// and a tracking callback that posts the exposures to POST /api/v1/exposures. Run by
// GrowthBookSdkTest (app/src/test/java/io/splitrank/app/assignment), which reads what it writes.
//
//   node check.mjs <host> <clientKey> <users.json> <experiments,comma,separated> <out.json>
//
// users.json holds an array of attribute objects. For each user and experiment the script writes
// the SDK's feature value and whether the unit is in the experiment, and every exposure its tracking
// callback saw, then posts those exposures and writes what Splitrank answered. It then prints
// EVALUATED and reads commands from stdin: "WAIT <feature>" waits (without fetching) until a
// streamed payload holds that feature and prints "STREAMED <feature> <default value>"; "EXIT" ends.
import { readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { GrowthBookClient, setPolyfills } from "@growthbook/growthbook";
import { EventSource } from "eventsource";

const [host, clientKey, usersFile, experimentList, outFile] = process.argv.slice(2);
const experiments = experimentList.split(",");
const users = JSON.parse(readFileSync(usersFile, "utf8"));

setPolyfills({ EventSource });

const tracked = [];
const client = new GrowthBookClient({
  apiHost: host,
  clientKey,
  // what a service's tracking callback sends to Splitrank
  trackingCallback: (experiment, result) => {
    tracked.push({
      experiment: experiment.key,
      phase: experiment.phase,
      arm: result.key,
      unitId: String(result.hashValue),
      timestamp: new Date().toISOString(),
    });
  },
});

const init = await client.init({ timeout: 10000, streaming: true });
if (!init.success) {
  console.error("init failed", init);
  process.exit(2);
}

const results = users.map((attributes) => {
  const byExperiment = {};
  for (const key of experiments) {
    const r = client.evalFeature(key, { attributes });
    byExperiment[key] = {
      value: r.value,
      inExperiment:
        r.source === "experiment" && !!r.experimentResult && r.experimentResult.inExperiment,
      source: r.source,
    };
  }
  return byExperiment;
});
// the callbacks run in promises: let them finish
await new Promise((resolve) => setTimeout(resolve, 50));

let accepted = 0;
let duplicates = 0;
const rejected = [];
const BATCH = 250; // the tests' request body limit is 64 KiB
for (let i = 0; i < tracked.length; i += BATCH) {
  const batch = tracked.slice(i, i + BATCH);
  const res = await fetch(`${host}/api/v1/exposures`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${clientKey}` },
    body: JSON.stringify({ exposures: batch }),
  });
  const answer = await res.json();
  if (res.status !== 200) {
    console.error("exposures refused", res.status, JSON.stringify(answer));
    process.exit(3);
  }
  accepted += answer.accepted;
  duplicates += answer.duplicates;
  for (const r of answer.rejected) {
    rejected.push({ ...r, exposure: batch[r.index] });
  }
}

writeFileSync(outFile, JSON.stringify({ results, tracked, accepted, duplicates, rejected }));
console.log("EVALUATED");

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, feature] = line.trim().split(" ");
  if (command === "WAIT") {
    const deadline = Date.now() + 30000;
    while (!client.getFeatures()[feature] && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const f = client.getFeatures()[feature];
    console.log(`STREAMED ${feature} ${f ? f.defaultValue : "<none>"}`);
  } else if (command === "EXIT") {
    break;
  }
}
client.destroy();
process.exit(0);
