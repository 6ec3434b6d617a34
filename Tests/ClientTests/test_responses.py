"""The Responses API (/v1/responses) with the real `openai` SDK against every provider type:
an OpenAI-format endpoint (passed through as is), and Claude, Gemini and Bedrock models
(bridged over chat by the proxy). Each provider is a `mock-upstream` speaking its own wire
format; the OpenAI mock validates Responses requests as OpenAI does."""
import json

import httpx
import openai
import pydantic
import pytest
from openai.types.responses import Response, ResponseStreamEvent

from conftest import translated_providers

OPENAI = "gpt-4o"
CLAUDE = "claude-3-5-sonnet-latest"
GEMINI = "gemini-2.5-flash"
BEDROCK = "anthropic.claude-3-5-sonnet-20241022-v2:0"
MODELS = [OPENAI, CLAUDE, GEMINI, BEDROCK]
WEATHER_TOOL = {
    "type": "function", "name": "get_weather", "description": "Current weather",
    "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"]},
}
EVENT = pydantic.TypeAdapter(ResponseStreamEvent)


@pytest.fixture(scope="module")
def setup():
    """One mock per provider and a proxy key whose org has one endpoint for each."""
    with translated_providers("acme", openai_api_key="sk-openai-mock", openai_endpoint=True) as started:
        yield started


def client(proxy, key):
    return openai.OpenAI(api_key=key, base_url=proxy.base_url, max_retries=0)


def raw_events(proxy, key, body):
    """The stream's events as sent: (event name, data) pairs, read without the SDK."""
    events = []
    with httpx.stream("POST", f"{proxy.base_url}/responses", json=dict(body, stream=True),
                      headers={"authorization": f"Bearer {key}", "x-bt-use-cache": "never"}, timeout=30) as response:
        assert response.status_code == 200, response.read()
        name = None
        for line in response.iter_lines():
            if line.startswith("event: "):
                name = line[len("event: "):]
            elif line.startswith("data: "):
                events.append((name, json.loads(line[len("data: "):])))
                name = None
    return events


@pytest.mark.parametrize("model", MODELS)
def test_text_reply_with_usage(setup, model):
    proxy, key, _ = setup
    response = client(proxy, key).responses.create(
        model=model, instructions="Be brief.", input="hello there", store=False, max_output_tokens=200)
    assert response.status == "completed"
    assert response.output_text.endswith("reply to: hello there")
    assert response.usage.input_tokens > 0 and response.usage.output_tokens > 0
    assert response.usage.input_tokens_details.cached_tokens == 0
    # The body as sent is a whole `Response` by the SDK's own type (required fields, literals).
    raw = httpx.post(f"{proxy.base_url}/responses", json={"model": model, "input": "hello there"},
                     headers={"authorization": f"Bearer {key}"}, timeout=30)
    assert Response.model_validate(raw.json()).output_text.endswith("reply to: hello there")


@pytest.mark.parametrize("model", MODELS)
def test_every_streamed_event_is_one_the_sdk_types(setup, model):
    proxy, key, _ = setup
    events = raw_events(proxy, key, {"model": model, "input": [{"role": "user", "content": "stream to me"}]})
    types = [data["type"] for _, data in events]
    assert types[:2] == ["response.created", "response.in_progress"]
    assert types[-1] == "response.completed"
    assert [data["sequence_number"] for _, data in events] == list(range(len(events)))
    for name, data in events:
        parsed = EVENT.validate_python(data)  # raises on an unknown type or a missing field
        assert name == data["type"] == parsed.type
    text = "".join(data["delta"] for _, data in events if data["type"] == "response.output_text.delta")
    assert text.endswith("reply to: stream to me")
    done = [data for _, data in events if data["type"] == "response.output_text.done"]
    assert [d["text"] for d in done] == [text]
    assert events[-1][1]["response"]["usage"]["output_tokens"] > 0


@pytest.mark.parametrize("model", MODELS)
def test_sdk_stream_helper_assembles_text(setup, model):
    proxy, key, _ = setup
    with client(proxy, key).responses.stream(model=model, input="helper stream") as stream:
        deltas = "".join(event.delta for event in stream if event.type == "response.output_text.delta")
        final = stream.get_final_response()
    assert deltas.endswith("reply to: helper stream")
    assert final.output_text == deltas
    assert final.status == "completed"


@pytest.mark.parametrize("model", MODELS)
def test_two_parallel_function_calls_and_the_round_trip(setup, model):
    proxy, key, _ = setup
    openai_client = client(proxy, key)
    question = {"role": "user", "content": "What's the weather in SF and NYC?"}
    done_arguments = {}
    with openai_client.responses.stream(model=model, input=[question], tools=[WEATHER_TOOL]) as stream:
        for event in stream:
            if event.type == "response.function_call_arguments.done":
                done_arguments[event.output_index] = event.arguments
        final = stream.get_final_response()
    calls = [item for item in final.output if item.type == "function_call"]
    assert len(calls) == 2
    assert all(call.name == "get_weather" and call.call_id for call in calls)
    assert len({call.call_id for call in calls}) == 2
    assert sorted(json.loads(call.arguments)["location"] for call in calls) == ["New York, NY", "San Francisco, CA"]
    # The SDK's own accumulation agrees with the .done events, call by call (kept apart by output_index).
    indexes = [index for index, item in enumerate(final.output) if item.type == "function_call"]
    assert [done_arguments[index] for index in indexes] == [call.arguments for call in calls]

    # Results go back as function_call_output items after the model's own output items.
    follow_up = openai_client.responses.create(
        model=model, tools=[WEATHER_TOOL], store=False,
        input=[question, *[item.model_dump(exclude_none=True) for item in final.output],
               *[{"type": "function_call_output", "call_id": call.call_id, "output": f"sunny {i}"}
                 for i, call in enumerate(calls)]])
    assert "sunny 0" in follow_up.output_text and "sunny 1" in follow_up.output_text


class Weather(pydantic.BaseModel):
    city: str
    degrees: int
    sunny: bool


@pytest.mark.parametrize("model", MODELS)
def test_json_schema_output(setup, model):
    proxy, key, mocks = setup
    parsed = client(proxy, key).responses.parse(model=model, input="weather report as JSON, please", text_format=Weather)
    assert isinstance(parsed.output_parsed, Weather)
    assert parsed.output_parsed.degrees == 1 and parsed.output_parsed.sunny is True


@pytest.mark.parametrize("model", [CLAUDE, GEMINI, BEDROCK])
def test_what_a_chat_provider_cannot_do_is_a_400_naming_the_field(setup, model):
    proxy, key, _ = setup
    openai_client = client(proxy, key)
    with pytest.raises(openai.BadRequestError) as raised:
        openai_client.responses.create(model=model, input="search", tools=[{"type": "web_search"}])
    assert "tools[0].type" in str(raised.value)
    with pytest.raises(openai.BadRequestError) as raised:
        openai_client.responses.create(model=model, input="again", previous_response_id="resp_123")
    assert "previous_response_id" in str(raised.value)


def test_openai_format_errors_pass_through(setup):
    proxy, key, _ = setup
    with pytest.raises(openai.BadRequestError) as raised:
        client(proxy, key).responses.create(model=OPENAI, input="hi", max_output_tokens=5)
    assert "max_output_tokens" in str(raised.value)


@pytest.mark.parametrize("model", [OPENAI, CLAUDE])
def test_upstream_failures_reach_the_sdk(setup, model):
    proxy, key, mocks = setup
    mock = mocks["openai" if model == OPENAI else "anthropic"]
    with mock.behaving(fail_status=500), pytest.raises(openai.InternalServerError):
        client(proxy, key).responses.create(model=model, input="fail please")


@pytest.mark.parametrize("model", [OPENAI, CLAUDE, GEMINI])
def test_cached_like_chat_and_streams_replay_the_same_events(setup, model):
    proxy, key, _ = setup
    openai_client = client(proxy, key)
    entries = proxy.cache_entry_count()
    kwargs = dict(model=model, input=f"cache me {model}", temperature=0)
    first = openai_client.responses.with_raw_response.create(**kwargs)
    proxy.wait_for_cache_entries(entries + 1)
    second = openai_client.responses.with_raw_response.create(**kwargs)
    assert first.headers["x-bt-cached"] == "MISS" and second.headers["x-bt-cached"] == "HIT"
    assert second.parse().output_text == first.parse().output_text

    def stream():
        with openai_client.responses.with_streaming_response.create(stream=True, **dict(kwargs, temperature=0.0, top_p=1)) as response:
            return response.headers["x-bt-cached"], [event.model_dump() for event in response.parse()]
    cached, events = stream()
    assert cached == "MISS"
    proxy.wait_for_cache_entries(entries + 2)
    cached, replayed = stream()
    assert cached == "HIT" and replayed == events


@pytest.mark.parametrize("model", [OPENAI, CLAUDE])
def test_a_stream_cut_mid_way_ends_with_a_typed_failure(setup, model):
    proxy, key, mocks = setup
    with mocks["openai" if model == OPENAI else "anthropic"].behaving(fail_mid_stream_after=3):
        events = raw_events(proxy, key, {"model": model, "input": "cut me off"})
    for _, data in events:
        EVENT.validate_python(data)
    assert events[-1][1]["type"] in ("response.failed", "error")
    assert [data["sequence_number"] for _, data in events] == list(range(len(events)))
    assert "response.completed" not in [data["type"] for _, data in events]
