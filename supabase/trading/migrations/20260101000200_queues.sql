-- The work queues the pgmq poller bridges onto bus addresses jobs.<queue>, and the dead-letter
-- queue that receives a message (with its last error) after too many failed reads.
select pgmq.create('ingest_indicators');
select pgmq.create('compute_signals');
select pgmq.create('compute_winrate');
select pgmq.create('dead_letter');
