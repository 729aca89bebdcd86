"""The timestamp client for --tsa: pyHanko's HTTPTimeStamper with the server's answer bounded.

pyHanko 0.38 reads the whole answer into memory (aiohttp's `response.read()`), however large;
here it is read in chunks and refused past TSA_ANSWER_LIMIT (a timestamp token with its
certificates is a few KiB). Failures are sorted in two: the server could not be reached or is
unavailable (TimestampUnreachable: try again later), or it answered with something that is no
valid timestamp (BadTimestampAnswer: a wrong URL or a broken server, bad input).
"""

import aiohttp
from asn1crypto import cms, core, tsp  # type: ignore[import-untyped]
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError

from objection.reading import KIB, MIB, describe_size

TSA_ANSWER_LIMIT = MIB
CHUNK = 64 * KIB


class TimestampUnreachable(TimestampRequestError):
    """No answer, or the server says it is unavailable (HTTP 5xx)."""


class BadTimestampAnswer(TimestampRequestError):
    """An answer that is no valid timestamp; the message says why, without the server's words."""


class BoundedTimeStamper(HTTPTimeStamper):
    """pyHanko's HTTP timestamp client, reading at most TSA_ANSWER_LIMIT bytes of the answer."""

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        try:
            async with (
                aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout)) as session,
                session.post(self.url, data=req.dump(),
                             headers=await self.async_request_headers()) as response,
            ):
                if response.status >= 500:
                    raise TimestampUnreachable(f"it answered HTTP {response.status}")
                if response.status != 200:
                    raise BadTimestampAnswer(f"it answered HTTP {response.status}")
                if response.content_type != "application/timestamp-reply":
                    raise BadTimestampAnswer("its answer is not a timestamp reply")
                body = await _read_at_most(response, TSA_ANSWER_LIMIT)
        except TimestampRequestError:
            raise
        except TimeoutError:
            raise TimestampUnreachable(f"no answer within {self.timeout} s") from None
        except (aiohttp.ClientError, OSError):
            raise TimestampUnreachable("it could not be reached") from None
        return _parse_answer(body)

    async def async_timestamp(self, message_digest: bytes, md_algorithm: str) -> cms.ContentInfo:
        """pyHanko's checks (our nonce back), then that the token is for our data."""
        try:
            token: cms.ContentInfo = await super().async_timestamp(message_digest, md_algorithm)
            info = token["content"]["encap_content_info"]["content"].parsed
            imprint = info["message_imprint"]["hashed_message"].native
        except (TimestampUnreachable, BadTimestampAnswer):
            raise
        except Exception as error:  # a wrong nonce or a token without the expected parts
            raise BadTimestampAnswer("it sent an unusable timestamp token") from error
        if imprint != message_digest:
            raise BadTimestampAnswer("its timestamp is for other data")
        return token


async def _read_at_most(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """The body, read in chunks; refused as soon as it is larger than `limit`."""
    if response.content_length is not None and response.content_length > limit:
        raise BadTimestampAnswer(f"its answer is larger than {describe_size(limit)}")
    body = bytearray()
    async for chunk in response.content.iter_chunked(CHUNK):
        body += chunk
        if len(body) > limit:
            raise BadTimestampAnswer(f"its answer is larger than {describe_size(limit)}")
    return bytes(body)


def _parse_answer(body: bytes) -> tsp.TimeStampResp:
    """The server's answer, or why it is none. The status is read on its own first:
    asn1crypto wants a token even in a refusal, which RFC 3161 sends without one."""
    try:
        outer = core.Sequence.load(body, strict=True)
        status = tsp.PKIStatusInfo.load(outer.contents)["status"].native
    except Exception:  # junk fails inside the parser in many ways
        raise BadTimestampAnswer("its answer is not an RFC 3161 timestamp response") from None
    if status not in ("granted", "granted_with_mods"):
        raise BadTimestampAnswer(f"it refused the request: {status}")
    try:
        answer = tsp.TimeStampResp.load(body, strict=True)
        answer.native  # noqa: B018  (asn1crypto parses lazily: parse it all here)
    except Exception:
        raise BadTimestampAnswer("it sent an unusable timestamp token") from None
    return answer
