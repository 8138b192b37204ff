-- An idempotency key stands for one request: the hash of what was asked (message, session,
-- mode) is kept with the claim, and the same key sent with a different request is refused (422)
-- instead of replaying an answer to another question. Claims made before this column existed
-- have none and match any request.
alter table public.chat_requests add column if not exists request_hash text;
