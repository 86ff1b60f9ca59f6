import { type FastifyInstance, errorCodes } from 'fastify';

export const ndjsonMediaType = 'application/x-ndjson';
export const importsPath = '/imports';

// POST /imports reads its body as a stream, line by line, so the JSON body limit does not apply
// there (the import enforces its own maximum while reading). Any other route refuses NDJSON.
export const registerNdjsonStream = (fastify: FastifyInstance): void => {
  fastify.addContentTypeParser(ndjsonMediaType, (request, payload, done) => {
    if (request.routeOptions.url === importsPath) return done(null, payload);
    // the same refusal Fastify gives a media type no parser takes
    done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(ndjsonMediaType));
  });
};
