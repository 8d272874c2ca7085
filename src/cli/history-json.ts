// Reads a history exported as JSON (Temporal UI download, `temporal workflow show --output json`) for
// `replay --file`. The SDK's historyFromJSON (@temporalio/common 1.24.0) throws "type must be a Type" when
// npm installs separate copies of protobufjs 8 for @temporalio/common and @temporalio/proto, as our
// lockfile does (@grpc/proto-loader keeps protobufjs 7 at the top level): its protojson checks
// `instanceof Type` against the other copy. We try the SDK first, then run the same conversion with the
// protobufjs copy that @temporalio/proto's reflection types come from.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';

type ProtoJson = {
  fromJson(type: unknown, json: unknown, options: { ignoreUnknownFields: boolean }): History | null;
};
type LookupRoot = { lookupType(name: string): unknown };

export function historyFromJson(json: unknown): History {
  try {
    return historyFromJSON(json);
  } catch (err) {
    if (!(err instanceof TypeError && /must be a Type/.test(err.message))) throw err;
  }
  const fromProto = createRequire(
    require.resolve('@temporalio/proto', { paths: [dirname(require.resolve('@temporalio/common'))] }),
  );
  const protojson = fromProto('protobufjs/ext/protojson') as ProtoJson;
  const { patchProtobufRoot } = fromProto('../lib/patch-protobuf-root') as {
    patchProtobufRoot: (root: unknown) => LookupRoot;
  };
  const historyType = patchProtobufRoot(fromProto('./index.js')).lookupType(
    'temporal.api.history.v1.History',
  );
  const loaded = protojson.fromJson(historyType, normaliseEnums(json), { ignoreUnknownFields: true });
  if (!loaded) throw new TypeError('Invalid history');
  return loaded;
}

/** Enum fields that some exporters write in PascalCase ("WorkflowExecutionStarted"), with their prefix. */
const ENUM_PREFIXES: Record<string, string> = {
  eventType: 'EVENT_TYPE',
  kind: 'TASK_QUEUE_KIND',
  parentClosePolicy: 'PARENT_CLOSE_POLICY',
  workflowIdReusePolicy: 'WORKFLOW_ID_REUSE_POLICY',
  initiator: 'CONTINUE_AS_NEW_INITIATOR',
  retryState: 'RETRY_STATE',
};

/** The same fix-ups the SDK applies before parsing, over the whole document. */
function normaliseEnums(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => normaliseEnums(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normaliseEnums(v, k)]));
  }
  // Own keys only: a field named `toString` or `constructor` is not an enum field.
  const prefix = key !== undefined && Object.hasOwn(ENUM_PREFIXES, key) ? ENUM_PREFIXES[key] : undefined;
  if (typeof value === 'string' && prefix && !value.startsWith(prefix)) {
    return `${prefix}_${value.replace(/(?<=.)([A-Z])/g, '_$1').toUpperCase()}`;
  }
  return value;
}
