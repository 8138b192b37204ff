-- pgmq for database B: the message-queue API (pgmq 1.5.1 SQL surface) the queue package uses.
--
-- Where the server ships the real extension (Supabase), this only runs `create extension pgmq`.
-- Elsewhere (the embedded test server, a bare PostgreSQL) it installs our own implementation of
-- the part of the 1.5.1 API we use, in schema pgmq, with the same names, argument names, types,
-- tables (pgmq.meta, pgmq.q_<queue>, pgmq.a_<queue>) and overload set, so callers see one API.
--
-- Why one DO block that EXECUTEs every statement: the choice has to be made at run time, and a
-- migration must stay plain SQL that Flyway (inside its transaction) and the Supabase CLI both run;
-- psql meta-commands such as \if are not available to them. Each statement is a dollar-quoted
-- string with its own tag ($ddl$ around a statement, $fn$ around a function body, $q$ around the
-- dynamic SQL inside it). Queue names only ever reach dynamic SQL through format('%I'/'%L') or
-- EXECUTE ... USING. Everything is create-if-absent / create-or-replace, so a rerun is harmless.
do $outer$
begin
  if exists (select 1 from pg_available_extensions where name = 'pgmq') then
    execute 'create extension if not exists pgmq';
    return;
  end if;

  ---------------------------------------------------------------------------------------------
  -- schema, catalogue of queues, record types
  ---------------------------------------------------------------------------------------------
  execute 'create schema if not exists pgmq';

  execute $ddl$
    create table if not exists pgmq.meta (
      queue_name varchar unique not null,
      is_partitioned boolean not null,
      is_unlogged boolean not null,
      created_at timestamptz not null default now()
    )
  $ddl$;

  -- Read-only access for monitoring, as the extension grants it.
  execute 'grant usage on schema pgmq to pg_monitor';
  execute 'grant select on all tables in schema pgmq to pg_monitor';
  execute 'grant select on all sequences in schema pgmq to pg_monitor';
  execute 'alter default privileges in schema pgmq grant select on tables to pg_monitor';
  execute 'alter default privileges in schema pgmq grant select on sequences to pg_monitor';

  if to_regtype('pgmq.message_record') is null then
    execute $ddl$
      create type pgmq.message_record as (
        msg_id bigint,
        read_ct integer,
        enqueued_at timestamptz,
        vt timestamptz,
        message jsonb,
        headers jsonb
      )
    $ddl$;
  end if;

  if to_regtype('pgmq.queue_record') is null then
    execute $ddl$
      create type pgmq.queue_record as (
        queue_name varchar,
        is_partitioned boolean,
        is_unlogged boolean,
        created_at timestamptz
      )
    $ddl$;
  end if;

  if to_regtype('pgmq.metrics_result') is null then
    execute $ddl$
      create type pgmq.metrics_result as (
        queue_name text,
        queue_length bigint,
        newest_msg_age_sec integer,
        oldest_msg_age_sec integer,
        total_messages bigint,
        scrape_time timestamptz,
        queue_visible_length bigint
      )
    $ddl$;
  end if;

  ---------------------------------------------------------------------------------------------
  -- queue names
  ---------------------------------------------------------------------------------------------

  -- The table behind a queue: '<prefix>_<name>' in lower case. Rejects the characters pgmq
  -- rejects ($ ; -- '), so a name is refused the same way by every function that takes one.
  execute $ddl$
    create or replace function pgmq.format_table_name(queue_name text, prefix text)
    returns text
    language plpgsql
    immutable
    as $fn$
    begin
      if queue_name is null or queue_name = '' then
        raise exception 'queue name must not be empty' using errcode = 'invalid_parameter_value';
      end if;
      if strpos(queue_name, '$') > 0
         or strpos(queue_name, ';') > 0
         or strpos(queue_name, '--') > 0
         or strpos(queue_name, '''') > 0 then
        raise exception 'queue name % contains invalid characters: $, ;, --, or ''', queue_name
          using errcode = 'invalid_parameter_value';
      end if;
      return lower(prefix || '_' || queue_name);
    end
    $fn$
  $ddl$;

  -- At most 47 characters, so that q_<name>_msg_id_seq and archived_at_idx_<name> stay within
  -- PostgreSQL's 63-byte identifiers.
  execute $ddl$
    create or replace function pgmq.validate_queue_name(queue_name text)
    returns void
    language plpgsql
    immutable
    as $fn$
    begin
      if length(queue_name) >= 48 then
        raise exception 'queue name is too long, maximum length is 47 characters'
          using errcode = 'invalid_parameter_value';
      end if;
    end
    $fn$
  $ddl$;

  ---------------------------------------------------------------------------------------------
  -- creating and dropping queues
  ---------------------------------------------------------------------------------------------

  -- Creates (if absent) the queue table, its archive, their indexes and the catalogue row.
  -- Serialised per queue with a transaction lock so two sessions creating one queue don't race.
  execute $ddl$
    create or replace function pgmq._create_queue(queue_name text, unlogged boolean)
    returns void
    language plpgsql
    as $fn$
    declare
      qtable text := pgmq.format_table_name(queue_name, 'q');
      atable text := pgmq.format_table_name(queue_name, 'a');
    begin
      perform pgmq.validate_queue_name(queue_name);
      perform pg_advisory_xact_lock(hashtext('pgmq.queue:' || qtable));

      execute format(
        $q$
        create %s table if not exists pgmq.%I (
          msg_id bigint generated always as identity primary key,
          read_ct integer not null default 0,
          enqueued_at timestamptz not null default now(),
          vt timestamptz not null,
          message jsonb,
          headers jsonb
        )
        $q$,
        case when unlogged then 'unlogged' else '' end, qtable);

      execute format(
        $q$
        create table if not exists pgmq.%I (
          msg_id bigint primary key,
          read_ct integer not null default 0,
          enqueued_at timestamptz not null default now(),
          archived_at timestamptz not null default now(),
          vt timestamptz not null,
          message jsonb,
          headers jsonb
        )
        $q$,
        atable);

      execute format('create index if not exists %I on pgmq.%I (vt)', qtable || '_vt_idx', qtable);
      execute format('create index if not exists %I on pgmq.%I (archived_at)',
                     'archived_at_idx_' || lower(queue_name), atable);

      insert into pgmq.meta (queue_name, is_partitioned, is_unlogged)
      values (_create_queue.queue_name, false, unlogged)
      on conflict do nothing;
    end
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.create_non_partitioned(queue_name text)
    returns void
    language sql
    as $fn$ select pgmq._create_queue(queue_name, false) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq."create"(queue_name text)
    returns void
    language sql
    as $fn$ select pgmq._create_queue(queue_name, false) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.create_unlogged(queue_name text)
    returns void
    language sql
    as $fn$ select pgmq._create_queue(queue_name, true) $fn$
  $ddl$;

  -- Drops the queue, its archive and its catalogue row. Like the 1.5.1 extension, a queue that
  -- does not exist is an error (undefined_table), not a quiet false.
  execute $ddl$
    create or replace function pgmq.drop_queue(queue_name text)
    returns boolean
    language plpgsql
    as $fn$
    declare
      qtable text := pgmq.format_table_name(queue_name, 'q');
      atable text := pgmq.format_table_name(queue_name, 'a');
    begin
      perform pg_advisory_xact_lock(hashtext('pgmq.queue:' || qtable));
      if to_regclass(format('pgmq.%I', qtable)) is null then
        raise exception 'relation "pgmq.%" does not exist', qtable using errcode = 'undefined_table';
      end if;
      execute format('drop table if exists pgmq.%I', qtable);
      execute format('drop table if exists pgmq.%I', atable);
      delete from pgmq.meta m where m.queue_name = drop_queue.queue_name;
      return true;
    end
    $fn$
  $ddl$;

  -- Deletes every message still in the queue (the archive is kept); returns how many.
  execute $ddl$
    create or replace function pgmq.purge_queue(queue_name text)
    returns bigint
    language plpgsql
    as $fn$
    declare
      qtable text := pgmq.format_table_name(queue_name, 'q');
      n bigint;
    begin
      execute format('with gone as (delete from pgmq.%I returning 1) select count(*) from gone', qtable)
        into n;
      return n;
    end
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.list_queues()
    returns setof pgmq.queue_record
    language sql
    stable
    as $fn$
      select m.queue_name, m.is_partitioned, m.is_unlogged, m.created_at
      from pgmq.meta m
      order by m.queue_name
    $fn$
  $ddl$;

  ---------------------------------------------------------------------------------------------
  -- sending
  ---------------------------------------------------------------------------------------------

  -- The one real send; the overloads below only fill in headers and the visible-from time.
  execute $ddl$
    create or replace function pgmq.send(queue_name text, msg jsonb, headers jsonb, delay timestamptz)
    returns setof bigint
    language plpgsql
    as $fn$
    begin
      return query execute format(
        'insert into pgmq.%I (vt, message, headers) values ($1, $2, $3) returning msg_id',
        pgmq.format_table_name(queue_name, 'q'))
      using delay, msg, headers;
    end
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send(queue_name text, msg jsonb)
    returns setof bigint
    language sql
    as $fn$ select * from pgmq.send(queue_name, msg, null::jsonb, clock_timestamp()) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send(queue_name text, msg jsonb, headers jsonb)
    returns setof bigint
    language sql
    as $fn$ select * from pgmq.send(queue_name, msg, headers, clock_timestamp()) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send(queue_name text, msg jsonb, delay integer)
    returns setof bigint
    language sql
    as $fn$
      select * from pgmq.send(queue_name, msg, null::jsonb, clock_timestamp() + make_interval(secs => delay))
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send(queue_name text, msg jsonb, delay timestamptz)
    returns setof bigint
    language sql
    as $fn$ select * from pgmq.send(queue_name, msg, null::jsonb, delay) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send(queue_name text, msg jsonb, headers jsonb, delay integer)
    returns setof bigint
    language sql
    as $fn$
      select * from pgmq.send(queue_name, msg, headers, clock_timestamp() + make_interval(secs => delay))
    $fn$
  $ddl$;

  -- The one real send_batch: msgs[i] goes with headers[i] (null headers when the array is null
  -- or shorter); ids come back in the order of msgs.
  execute $ddl$
    create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay timestamptz)
    returns setof bigint
    language plpgsql
    as $fn$
    begin
      return query execute format(
        $q$
        with added as (
          insert into pgmq.%I (vt, message, headers)
          select $1, b.message, b.headers
          from unnest($2, coalesce($3, array[]::jsonb[])) with ordinality as b(message, headers, ord)
          where b.ord <= coalesce(cardinality($2), 0)
          order by b.ord
          returning msg_id
        )
        select msg_id from added order by msg_id
        $q$,
        pgmq.format_table_name(queue_name, 'q'))
      using delay, msgs, headers;
    end
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send_batch(queue_name text, msgs jsonb[])
    returns setof bigint
    language sql
    as $fn$ select * from pgmq.send_batch(queue_name, msgs, null::jsonb[], clock_timestamp()) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[])
    returns setof bigint
    language sql
    as $fn$ select * from pgmq.send_batch(queue_name, msgs, headers, clock_timestamp()) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], delay integer)
    returns setof bigint
    language sql
    as $fn$
      select * from pgmq.send_batch(queue_name, msgs, null::jsonb[], clock_timestamp() + make_interval(secs => delay))
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], delay timestamptz)
    returns setof bigint
    language sql
    as $fn$ select * from pgmq.send_batch(queue_name, msgs, null::jsonb[], delay) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay integer)
    returns setof bigint
    language sql
    as $fn$
      select * from pgmq.send_batch(queue_name, msgs, headers, clock_timestamp() + make_interval(secs => delay))
    $fn$
  $ddl$;

  ---------------------------------------------------------------------------------------------
  -- reading
  ---------------------------------------------------------------------------------------------

  -- Takes up to qty visible messages (oldest msg_id first, skipping rows another reader holds),
  -- hides them for vt seconds and counts the read. conditional filters on message @> conditional
  -- ('{}' means no filter). Rows come back in msg_id order.
  execute $ddl$
    create or replace function pgmq.read(queue_name text, vt integer, qty integer, conditional jsonb default '{}')
    returns setof pgmq.message_record
    language plpgsql
    as $fn$
    declare
      qtable text := pgmq.format_table_name(queue_name, 'q');
    begin
      return query execute format(
        $q$
        with picked as materialized (
          select t.msg_id
          from pgmq.%I t
          where t.vt <= clock_timestamp()
            and ($3 = '{}'::jsonb or t.message @> $3)
          order by t.msg_id
          limit $1
          for update skip locked
        ),
        taken as (
          update pgmq.%I m
          set vt = clock_timestamp() + $2,
              read_ct = m.read_ct + 1
          from picked
          where m.msg_id = picked.msg_id
          returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers
        )
        select msg_id, read_ct, enqueued_at, vt, message, headers from taken order by msg_id
        $q$,
        qtable, qtable)
      using qty, make_interval(secs => vt), coalesce(conditional, '{}'::jsonb);
    end
    $fn$
  $ddl$;

  -- read, retried every poll_interval_ms until something comes back or max_poll_seconds pass.
  execute $ddl$
    create or replace function pgmq.read_with_poll(
      queue_name text,
      vt integer,
      qty integer,
      max_poll_seconds integer default 5,
      poll_interval_ms integer default 100,
      conditional jsonb default '{}'
    )
    returns setof pgmq.message_record
    language plpgsql
    as $fn$
    declare
      give_up_at timestamptz := clock_timestamp() + make_interval(secs => max_poll_seconds);
    begin
      loop
        return query select * from pgmq.read(queue_name, vt, qty, conditional);
        if found or clock_timestamp() >= give_up_at then
          return;
        end if;
        perform pg_sleep(poll_interval_ms / 1000.0);
      end loop;
    end
    $fn$
  $ddl$;

  -- Takes the oldest visible message and deletes it at once.
  execute $ddl$
    create or replace function pgmq.pop(queue_name text)
    returns setof pgmq.message_record
    language plpgsql
    as $fn$
    declare
      qtable text := pgmq.format_table_name(queue_name, 'q');
    begin
      return query execute format(
        $q$
        with picked as materialized (
          select t.msg_id
          from pgmq.%I t
          where t.vt <= clock_timestamp()
          order by t.msg_id
          limit 1
          for update skip locked
        )
        delete from pgmq.%I m
        using picked
        where m.msg_id = picked.msg_id
        returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers
        $q$,
        qtable, qtable);
    end
    $fn$
  $ddl$;

  -- Makes a message visible again vt seconds from now; returns it (nothing if it isn't there).
  execute $ddl$
    create or replace function pgmq.set_vt(queue_name text, msg_id bigint, vt integer)
    returns setof pgmq.message_record
    language plpgsql
    as $fn$
    begin
      return query execute format(
        $q$
        update pgmq.%I m
        set vt = clock_timestamp() + $2
        where m.msg_id = $1
        returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers
        $q$,
        pgmq.format_table_name(queue_name, 'q'))
      using msg_id, make_interval(secs => vt);
    end
    $fn$
  $ddl$;

  ---------------------------------------------------------------------------------------------
  -- finishing with messages
  ---------------------------------------------------------------------------------------------

  -- Moves the messages from q_<queue> to a_<queue> in one statement; returns the ids moved.
  execute $ddl$
    create or replace function pgmq.archive(queue_name text, msg_ids bigint[])
    returns setof bigint
    language plpgsql
    as $fn$
    begin
      return query execute format(
        $q$
        with gone as (
          delete from pgmq.%I m
          where m.msg_id = any($1)
          returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers
        ),
        kept as (
          insert into pgmq.%I (msg_id, read_ct, enqueued_at, vt, message, headers)
          select msg_id, read_ct, enqueued_at, vt, message, headers from gone
          returning msg_id
        )
        select msg_id from kept order by msg_id
        $q$,
        pgmq.format_table_name(queue_name, 'q'),
        pgmq.format_table_name(queue_name, 'a'))
      using msg_ids;
    end
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.archive(queue_name text, msg_id bigint)
    returns boolean
    language sql
    as $fn$ select exists (select 1 from pgmq.archive(queue_name, array[msg_id])) $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.delete(queue_name text, msg_ids bigint[])
    returns setof bigint
    language plpgsql
    as $fn$
    begin
      return query execute format(
        $q$
        with gone as (
          delete from pgmq.%I m where m.msg_id = any($1) returning m.msg_id
        )
        select msg_id from gone order by msg_id
        $q$,
        pgmq.format_table_name(queue_name, 'q'))
      using msg_ids;
    end
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.delete(queue_name text, msg_id bigint)
    returns boolean
    language sql
    as $fn$ select exists (select 1 from pgmq.delete(queue_name, array[msg_id])) $fn$
  $ddl$;

  ---------------------------------------------------------------------------------------------
  -- metrics
  ---------------------------------------------------------------------------------------------

  -- queue_length: messages in the queue; queue_visible_length: those readable now;
  -- total_messages: every message ever sent (the identity sequence q_<queue>_msg_id_seq).
  execute $ddl$
    create or replace function pgmq.metrics(queue_name text)
    returns pgmq.metrics_result
    language plpgsql
    as $fn$
    declare
      qtable text := pgmq.format_table_name(queue_name, 'q');
      result pgmq.metrics_result;
    begin
      execute format(
        $q$
        select
          $1::text,
          s.queue_length,
          s.newest_msg_age_sec,
          s.oldest_msg_age_sec,
          (select case when seq.is_called then seq.last_value else 0 end from pgmq.%I seq),
          s.scrape_time,
          s.queue_visible_length
        from (
          select
            count(*) as queue_length,
            extract(epoch from now() - max(t.enqueued_at))::integer as newest_msg_age_sec,
            extract(epoch from now() - min(t.enqueued_at))::integer as oldest_msg_age_sec,
            now() as scrape_time,
            count(*) filter (where t.vt <= now()) as queue_visible_length
          from pgmq.%I t
        ) s
        $q$,
        qtable || '_msg_id_seq', qtable)
      into result
      using queue_name;
      return result;
    end
    $fn$
  $ddl$;

  execute $ddl$
    create or replace function pgmq.metrics_all()
    returns setof pgmq.metrics_result
    language plpgsql
    as $fn$
    declare
      queue varchar;
    begin
      for queue in select m.queue_name from pgmq.meta m order by m.queue_name loop
        return next pgmq.metrics(queue);
      end loop;
    end
    $fn$
  $ddl$;
end
$outer$;
