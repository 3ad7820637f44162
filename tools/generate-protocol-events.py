#!/usr/bin/env python3
"""Generates the event classes of V2V.Realtime from the protocol schemas in protocol/.

One class per event, named after its GA wire name (the current protocol); events that exist in one
dialect only are generated too. Nested objects that differ between dialects (session, response, item,
content part) are hand-written model types in Protocol/Models; opaque structures that the product does
not interpret (logprobs, transcription usage, transcription sessions) stay JsonElement so that nothing
the server sends is lost. Run from the repository root: python3 tools/generate-protocol-events.py
"""
import json, os, re, textwrap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'src', 'V2V.Realtime', 'Protocol')
beta = json.load(open(os.path.join(ROOT, 'protocol', 'openai-realtime-beta.schema.json')))['components']['schemas']
ga = json.load(open(os.path.join(ROOT, 'protocol', 'openai-realtime-ga.schema.json')))['components']['schemas']

# Events written by hand because their hot path needs more than a property bag.
HAND_WRITTEN = {'response.output_audio.delta'}

# Model types for properties whose shape the product reads (see Protocol/Models).
MODEL_FOR = {
    'item': 'RealtimeConversationItem',
    'response': 'RealtimeResponse',
    'conversation': 'RealtimeConversation',
    'part': 'RealtimeContentPart',
    'rate_limits': 'List<RealtimeRateLimit>',
    'error': 'RealtimeErrorDetails',
}
LONG_FIELDS = {'received_at'}


def pascal(name):
    return ''.join(p[:1].upper() + p[1:] for p in re.split(r'[._]', name) if p)


def doc(text, fallback):
    text = (text or fallback).strip()
    first = text.split('\n\n')[0].replace('\n', ' ').strip()
    first = re.sub(r'\s+', ' ', first)
    return first.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')


def nullable_anyof(v):
    return any(x.get('type') == 'null' for x in v.get('anyOf', []))


def cs_type(event_type, prop, v):
    if prop == 'session':
        return 'JsonElement' if event_type.startswith('transcription_session') else 'RealtimeSession'
    if prop == 'response':
        return 'RealtimeResponseCreateParams' if event_type == 'response.create' else 'RealtimeResponse'
    if prop in MODEL_FOR:
        return MODEL_FOR[prop]
    if nullable_anyof(v):
        inner = [x for x in v['anyOf'] if x.get('type') != 'null']
        if len(inner) == 1 and inner[0].get('type') == 'string':
            return 'string'
        return 'JsonElement'
    t = v.get('type')
    if t == 'string':
        return 'string'
    if t == 'integer':
        return 'long' if prop in LONG_FIELDS else 'int'
    if t == 'number':
        return 'double'
    if t == 'boolean':
        return 'bool'
    return 'JsonElement'


events = {}  # canonical name -> dict
for dialect, schemas in (('beta', beta), ('ga', ga)):
    for key, s in schemas.items():
        for side in ('Client', 'Server'):
            prefix = f'Realtime{side}Event'
            if key.startswith(prefix) and key != prefix:
                wire = s['properties']['type']['enum'][0]
                events.setdefault(key, {'side': side, 'schema': key})[dialect] = (wire, s)

# Field groups that many events share get a base class of their own, written once (Protocol/ResponseEvents.cs).
BASES = [
    ('RealtimeResponseContentEvent', ['response_id', 'item_id', 'output_index', 'content_index']),
    ('RealtimeResponseItemEvent', ['response_id', 'item_id', 'output_index']),
]


def base_for(side, props, required):
    if side != 'Server':
        return None, []
    for name, fields in BASES:
        if all(f in props and f in required for f in fields):
            return name, fields
    return None, []


generated = []
for key, e in sorted(events.items()):
    ga_name = e['ga'][0] if 'ga' in e else None
    beta_name = e['beta'][0] if 'beta' in e else None
    canonical = ga_name or beta_name
    cls = pascal(canonical) + 'Event'
    side = e['side']
    folder = 'ClientEvents' if side == 'Client' else 'ServerEvents'
    generated.append((cls, side, ga_name, beta_name, key))
    if canonical in HAND_WRITTEN:
        continue
    # The union of the properties of both dialects; a property is required only where every dialect
    # that has the event requires it and none allows null.
    props, required_sets = {}, []
    for dialect in ('ga', 'beta'):
        if dialect not in e:
            continue
        s = e[dialect][1]
        required_sets.append(set(s.get('required', [])))
        for p, v in s['properties'].items():
            if p in ('type', 'event_id'):
                continue
            props.setdefault(p, v)
            if nullable_anyof(v):
                props[p] = v
    required = set.intersection(*required_sets) if required_sets else set()
    base, inherited = base_for(side, props, required)
    desc = doc((e.get('ga') or e.get('beta'))[1].get('description'), canonical)
    dialects = ', '.join(f'{d} <c>{e[d][0]}</c>' for d in ('ga', 'beta') if d in e)
    lines = [
        '// <auto-generated>Generated by tools/generate-protocol-events.py from protocol/*.schema.json. Do not edit.</auto-generated>',
        '#nullable enable',
        'using System.Text.Json;',
        'using System.Text.Json.Serialization;',
        'using V2V.Realtime.Protocol.Models;',
        '',
        f'namespace V2V.Realtime.Protocol.{folder};',
        '',
        f'/// <summary>{desc}</summary>',
        f'/// <remarks>Wire names: {dialects}. Schema: <c>{key}</c>.</remarks>',
        f'public sealed partial class {cls} : {base or "Realtime" + side + "Event"}',
        '{',
        f'    /// <summary>The name of this event in the GA dialect, or null where only beta has it.</summary>',
        f'    public const string? GaName = {json.dumps(ga_name) if ga_name else "null"};',
        '',
        f'    /// <summary>The name of this event in the beta dialect, or null where only GA has it.</summary>',
        f'    public const string? BetaName = {json.dumps(beta_name) if beta_name else "null"};',
        '',
        f'    /// <summary>Creates the event with its GA wire name.</summary>',
        f'    public {cls}() : base({json.dumps(canonical)}) {{ }}',
    ]
    for p, v in props.items():
        if p in inherited:
            continue
        t = cs_type(canonical, p, v)
        is_req = p in required and not nullable_anyof(v) and p != 'previous_item_id'
        nullable = '' if (is_req or t == 'JsonElement') else '?'
        req = 'required ' if is_req else ''
        attrs = f'[JsonPropertyName("{p}")]'
        if t == 'JsonElement':
            attrs += ' [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]'
        text = v.get('description') or next((x.get('description') for x in v.get('anyOf', []) if x.get('description')), None)
        lines += ['', f'    /// <summary>{doc(text, "The " + p.replace("_", " ") + ".")}</summary>',
                  f'    {attrs}',
                  f'    public {req}{t}{nullable} {pascal(p)} {{ get; init; }}']
    lines.append('}')
    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    with open(os.path.join(OUT, folder, cls + '.cs'), 'w') as f:
        f.write('\n'.join(lines) + '\n')

# The catalogue: every event type with its names in both dialects, and the serializer context.
cat = [
    '// <auto-generated>Generated by tools/generate-protocol-events.py from protocol/*.schema.json. Do not edit.</auto-generated>',
    '#nullable enable',
    'using System.Text.Json.Serialization;',
    'using V2V.Realtime.Protocol.ClientEvents;',
    'using V2V.Realtime.Protocol.ServerEvents;',
    '',
    'namespace V2V.Realtime.Protocol;',
    '',
    'internal static partial class RealtimeEventCatalog',
    '{',
    '    private static IEnumerable<RealtimeEventDescriptor> Generated(RealtimeJsonContext c) =>',
    '    [',
]
ctx = []
for cls, side, ga_name, beta_name, key in generated:
    g_ = json.dumps(ga_name) if ga_name else 'null'
    b_ = json.dumps(beta_name) if beta_name else 'null'
    cat.append(f'        new(typeof({cls}), {str(side == "Client").lower()}, {g_}, {b_}, c.{cls}),')
    ctx.append(f'[JsonSerializable(typeof({cls}))]')
cat += ['    ];', '}', '']
with open(os.path.join(OUT, 'RealtimeEventCatalog.g.cs'), 'w') as f:
    f.write('\n'.join(cat))
with open(os.path.join(OUT, 'RealtimeJsonContext.g.cs'), 'w') as f:
    f.write('\n'.join([
        '// <auto-generated>Generated by tools/generate-protocol-events.py from protocol/*.schema.json. Do not edit.</auto-generated>',
        'using System.Text.Json.Serialization;',
        'using V2V.Realtime.Protocol.ClientEvents;',
        'using V2V.Realtime.Protocol.ServerEvents;',
        '',
        'namespace V2V.Realtime.Protocol;',
        'using System.Text.Json;',
        'using V2V.Realtime.Protocol.Models;',
        '',
        '/// <summary>',
        '/// Source-generated System.Text.Json metadata for every protocol type: no reflection at run time. Nulls are',
        '/// left out when writing (the protocol reads an absent field as "unchanged"); the settings that need an',
        '/// explicit null use <see cref="Serialization.IDisableable{TSelf}"/>.',
        '/// </summary>',
        '[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.Strict)]',
        *[f'[JsonSerializable(typeof({t}))]' for t in ('RealtimeSession', 'RealtimeResponse', 'RealtimeResponseCreateParams', 'RealtimeConversationItem', 'RealtimeContentPart', 'RealtimeTurnDetection', 'RealtimeTranscription', 'RealtimeNoiseReduction', 'JsonElement')],
        *ctx,
        'internal sealed partial class RealtimeJsonContext : JsonSerializerContext;',
        '']))
print(f'{len(generated)} events')
