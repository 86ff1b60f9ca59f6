// Erasure takes no fields (it happens now, by the caller); any field sent is refused as unknown.
export class EraseLeadRequest {}
