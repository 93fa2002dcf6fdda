// Validates the Open311 GeoReport v2 read endpoint against JSON Schemas of the spec's responses
// (http://wiki.open311.org/GeoReport_v2: service list, service requests, errors, discovery), with Ajv.
// The schemas close every object (additionalProperties: false), so a field the spec does not name — a
// phone, a name, the citizen's words — fails validation.
//
//   node open311.mjs <base-url> <a request id>
//
// Prints {"checked": n} or exits 1 with what failed.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const [base, requestId] = process.argv.slice(2);
const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);

const text = { type: ['string', 'null'] };
const dateTime = { type: ['string', 'null'], format: 'date-time' };
const service = {
  type: 'object',
  additionalProperties: false,
  required: ['service_code', 'service_name', 'description', 'metadata', 'type', 'keywords', 'group'],
  properties: {
    service_code: { type: 'string', minLength: 1 },
    service_name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    metadata: { type: 'boolean' },
    type: { enum: ['realtime', 'batch', 'blackbox'] },
    keywords: { type: 'string' },
    group: { type: 'string' },
  },
};
const request = {
  type: 'object',
  additionalProperties: false,
  required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
  properties: {
    service_request_id: { type: 'string', minLength: 1 },
    status: { enum: ['open', 'closed'] },
    status_notes: text,
    service_name: text,
    service_code: { type: 'string', minLength: 1 },
    description: text,
    agency_responsible: text,
    service_notice: text,
    requested_datetime: { type: 'string', format: 'date-time' },
    updated_datetime: dateTime,
    expected_datetime: dateTime,
    address: text,
    address_id: text,
    zipcode: text,
    lat: { type: ['number', 'null'], minimum: -90, maximum: 90 },
    long: { type: ['number', 'null'], minimum: -180, maximum: 180 },
    media_url: { type: ['string', 'null'], format: 'uri' },
  },
};
const errors = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['code', 'description'],
    properties: { code: { type: 'integer' }, description: { type: 'string', minLength: 1 } },
  },
};
const discovery = {
  type: 'object',
  required: ['changeset', 'contact', 'endpoints'],
  properties: {
    changeset: { type: 'string', format: 'date-time' },
    contact: { type: 'string' },
    key_service: { type: 'string' },
    endpoints: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['specification', 'url', 'changeset', 'type', 'formats'],
        properties: {
          specification: { type: 'string', format: 'uri' },
          url: { type: 'string', format: 'uri' },
          changeset: { type: 'string', format: 'date-time' },
          type: { enum: ['production', 'test'] },
          formats: { type: 'array', items: { type: 'string' } },
        },
      },
    },
  },
};
const schemas = {
  services: ajv.compile({ type: 'array', minItems: 1, items: service }),
  requests: ajv.compile({ type: 'array', items: request }),
  errors: ajv.compile(errors),
  discovery: ajv.compile(discovery),
};

let checked = 0;
async function expect(path, status, schema) {
  const response = await fetch(`${base}/open311/v2/${path}`);
  const body = await response.json();
  if (response.status !== status) throw new Error(`${path}: ${response.status}, expected ${status}: ${JSON.stringify(body)}`);
  if (!schemas[schema](body)) {
    throw new Error(`${path} is not a valid ${schema} answer: ${ajv.errorsText(schemas[schema].errors)}`);
  }
  checked += 1;
  return body;
}

try {
  await expect('discovery.json', 200, 'discovery');
  await expect('services.json', 200, 'services');
  const all = await expect('requests.json', 200, 'requests');
  if (all.length === 0) throw new Error('requests.json is empty');
  await expect('requests.json?status=open,closed&service_code=URBAN_MANAGEMENT', 200, 'requests');
  const one = await expect(`requests/${requestId}.json`, 200, 'requests');
  if (one.length !== 1 || one[0].service_request_id !== requestId) throw new Error(`one request: ${JSON.stringify(one)}`);
  await expect('requests/00000000-0000-0000-0000-000000000000.json', 404, 'errors');
  await expect('requests.json?start_date=yesterday', 400, 'errors');
  await expect('services/URBAN_MANAGEMENT.json', 404, 'errors');
  console.log(JSON.stringify({ checked }));
} catch (e) {
  console.error(e.message || e);
  process.exitCode = 1;
}
