// The JavaScript SDK's side of tests/arm/t_js.sh: @azure/arm-network and @azure/identity, unmodified,
// against `erlab serve`. It reads one request a line on stdin, tab-separated (OP, then its
// arguments; a parameters argument is JSON), and answers each with one line of JSON on stdout:
// {"ok": true, "result": ...} or {"ok": false, "error": {"name", "code", "statusCode", "message"}}
// ("pick" answers values of the last answer instead). The shell checks the kernel between requests.
//
// Environment: ERLAB_ARM_URL (https://127.0.0.1:PORT), ERLAB_SUB (the subscription), and the
// credential: ERLAB_CRED=secret with ERLAB_TENANT, ERLAB_CLIENT, ERLAB_SECRET (a
// ClientSecretCredential at erlab's authority), or ERLAB_CRED=static with ERLAB_TOKEN (a token
// erlab issued).
//
// Nothing here may leave 127.0.0.1: every name lookup fails at once and is recorded (op
// "lookups" lists them), so a client that tries to reach a host by name is seen, not waited for.
"use strict";
const dns = require("node:dns");
const readline = require("node:readline");

const lookups = [];
const noLookup = (host, opts, cb) => {
  const callback = typeof opts === "function" ? opts : cb;
  lookups.push(host);
  const e = new Error(`no name lookups in erlab's JS test: ${host}`);
  e.code = "ENOTFOUND";
  process.nextTick(() => callback(e));
};
dns.lookup = noLookup;
dns.promises.lookup = async (host) => {
  lookups.push(host);
  throw Object.assign(new Error(`no name lookups in erlab's JS test: ${host}`), { code: "ENOTFOUND" });
};

const { NetworkManagementClient } = require("@azure/arm-network");
const { ClientSecretCredential } = require("@azure/identity");
const { createPipelineRequest } = require("@azure/core-rest-pipeline");

const url = process.env.ERLAB_ARM_URL;
const sub = process.env.ERLAB_SUB;
const OP_MS = 60000;

function staticCredential(token) {
  return { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3.6e6 }) };
}

function credential() {
  if (process.env.ERLAB_CRED === "secret")
    return new ClientSecretCredential(process.env.ERLAB_TENANT, process.env.ERLAB_CLIENT, process.env.ERLAB_SECRET, {
      authorityHost: url,
      disableInstanceDiscovery: true,
    });
  return staticCredential(process.env.ERLAB_TOKEN);
}

// Fail fast: one retry, short LRO polls (erlab answers in milliseconds).
function client(cred) {
  return new NetworkManagementClient(cred, sub, { endpoint: url, retryOptions: { maxRetries: 1, retryDelayInMs: 200 } });
}

const cred = credential();
const net = client(cred);
const lro = { updateIntervalInMs: 200 };

// Resource groups through the same client's pipeline (its bearer-token policy), without
// @azure/arm-resources.
async function group(method, rg, body) {
  const req = createPipelineRequest({
    url: `${url}/subscriptions/${sub}/resourcegroups/${encodeURIComponent(rg)}?api-version=2021-04-01`,
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  req.headers.set("Content-Type", "application/json");
  const res = await net.sendRequest(req);
  if (res.status >= 300 && res.status !== 404) throw Object.assign(new Error(res.bodyAsText), { statusCode: res.status });
  return { status: res.status, body: res.bodyAsText ? JSON.parse(res.bodyAsText) : null };
}

async function all(iter) {
  const out = [];
  for await (const x of iter) out.push(x);
  return out;
}

const ops = {
  token: async () => (await cred.getToken(`${url}/.default`)).token,
  groupPut: (rg, location) => group("PUT", rg, { location }),
  groupDelete: (rg) => group("DELETE", rg),
  circuitPut: (rg, c, params) => net.expressRouteCircuits.beginCreateOrUpdateAndWait(rg, c, JSON.parse(params), lro),
  circuitGet: (rg, c) => net.expressRouteCircuits.get(rg, c),
  circuitList: (rg) => all(net.expressRouteCircuits.list(rg)),
  circuitListAll: () => all(net.expressRouteCircuits.listAll()),
  circuitDelete: async (rg, c) => (await net.expressRouteCircuits.beginDeleteAndWait(rg, c, lro)) ?? null,
  peeringPut: (rg, c, p, params) =>
    net.expressRouteCircuitPeerings.beginCreateOrUpdateAndWait(rg, c, p, JSON.parse(params), lro),
  // What SDK users do to change one property: get the peering, change it, put the whole object back.
  peeringSet: async (rg, c, p, changes) => {
    const cur = await net.expressRouteCircuitPeerings.get(rg, c, p);
    return net.expressRouteCircuitPeerings.beginCreateOrUpdateAndWait(rg, c, p, { ...cur, ...JSON.parse(changes) }, lro);
  },
  peeringGet: (rg, c, p) => net.expressRouteCircuitPeerings.get(rg, c, p),
  peeringList: (rg, c) => all(net.expressRouteCircuitPeerings.list(rg, c)),
  peeringDelete: async (rg, c, p) => (await net.expressRouteCircuitPeerings.beginDeleteAndWait(rg, c, p, lro)) ?? null,
  // A circuit's GET with another token (e.g. one signed with another key).
  circuitGetWithToken: (token, rg, c) => client(staticCredential(token)).expressRouteCircuits.get(rg, c),
  // A ClientSecretCredential with a wrong secret.
  tokenWrongSecret: async () => {
    const bad = new ClientSecretCredential(process.env.ERLAB_TENANT, process.env.ERLAB_CLIENT, "wrong", {
      authorityHost: url,
      disableInstanceDiscovery: true,
    });
    return (await bad.getToken(`${url}/.default`)).token;
  },
  lookups: async () => lookups,
};

// "pick PATH...": values of the last answer (its result, or its error when it failed), one line,
// space-separated, so the shell checks them without a JSON parser of its own. A path is dotted;
// "*" maps over an array (value.*.name). Strings as they are, anything else as JSON.
let last = { ok: true, result: null };
function pick(paths) {
  const root = last.ok ? last.result : last.error;
  const at = (v, segs) => {
    if (!segs.length) return v;
    const [s, ...rest] = segs;
    if (s === "*") return Array.isArray(v) ? v.map((x) => at(x, rest)) : undefined;
    return v === null || v === undefined ? undefined : at(v[s], rest);
  };
  return paths
    .map((p) => at(root, p === "" ? [] : p.split(".")))
    .map((v) => (typeof v === "string" ? v : JSON.stringify(v) ?? "undefined"))
    .join(" ")
    .replace(/\n/g, " ");
}

function errorOf(e) {
  return {
    name: e.name,
    code: e.code ?? e.errorResponse?.error ?? null,
    statusCode: e.statusCode ?? null,
    message: e.message,
  };
}

function timeout(ms, what) {
  return new Promise((_, reject) => setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms).unref());
}

const rl = readline.createInterface({ input: process.stdin, terminal: false });
let chain = Promise.resolve();
rl.on("line", (line) => {
  chain = chain.then(async () => {
    const [op, ...args] = line.split("\t");
    if (op === "pick") {
      process.stdout.write(pick(args) + "\n");
      return;
    }
    let answer;
    try {
      if (!ops[op]) throw new Error(`unknown op ${op}`);
      const result = await Promise.race([ops[op](...args), timeout(OP_MS, op)]);
      answer = { ok: true, result: result === undefined ? null : result };
    } catch (e) {
      answer = { ok: false, error: errorOf(e) };
    }
    last = answer;
    process.stdout.write(JSON.stringify(answer) + "\n");
  });
});
rl.on("close", () => chain.then(() => process.exit(0)));
