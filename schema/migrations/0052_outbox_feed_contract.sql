-- The change feed's documented contract (proto/nms/v1/federal_exchange.proto): operations as they
-- happened (CREATE for an entity's first appearance, not UPDATE), external ids of the form
-- "nms:{region}:{entity_type}:{id}", and payloads reduced to what the federal portal needs.
--
-- Rows written before carry the full entity (birth dates, e-mails, phones, free texts): they keep
-- payload_schema_version 1 and the server reduces them as it reads them; new rows are written
-- reduced with version 2. A writer that forgot the column gets 1, i.e. is reduced on read too.
ALTER TABLE outbox ADD COLUMN payload_schema_version TINYINT NOT NULL DEFAULT 1;

UPDATE outbox o
  JOIN (SELECT entity_type, resource, MIN(seq) AS first_seq FROM outbox GROUP BY entity_type, resource) f
    ON o.seq = f.first_seq
   SET o.operation = 'create'
 WHERE o.operation = 'upsert';
UPDATE outbox SET operation = 'update' WHERE operation = 'upsert';

UPDATE outbox
   SET external_id = CONCAT('nms:', region_id, ':', entity_type, ':', SUBSTRING_INDEX(resource, '/', -1))
 WHERE region_id IS NOT NULL;
