// The service's OpenAPI 3.1 document, served at /openapi.json with the county's value sets
// filled in (`OpenAPIDocument`). Swift source rather than a resource bundle: finding a bundle
// needs Foundation's `Bundle`, and the services link FoundationEssentials only (a smaller
// resident set per process). Edit the JSON between the delimiters; it is checked as JSON by
// the tests (OpenAPICoverageTests, InterfaceRulesTests).
extension IntakeService {
    static let openAPIJSON = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Hotline intake",
    "version": "1.0.0",
    "description": "Accepts citizens' requests from every channel (12345 hotline, web, WeChat, apps, grid workers, enterprise service, message boards, transfers, in person) and answers their status. Errors are RFC 9457 problem+json; a 422 names every rejected field. Unknown JSON fields are ignored. Bodies are limited to 64 KiB on POST /v1/tickets and 1 MiB elsewhere; request heads to 16 KiB."
  },
  "servers": [
    {
      "url": "http://127.0.0.1:8080"
    }
  ],
  "components": {
    "securitySchemes": {
      "channelKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "A channel's API key (demo: `demo-key-<channel>`, e.g. `demo-key-phone_12345`)."
      },
      "centreToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A hotline-centre staff token (demo: `demo-centre-token`)."
      },
      "unitToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A unit staff token; sees and acts on its own unit's work only (demo: `demo-unit-<unit>-token`)."
      },
      "agentToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "A callback agent's token (demo: `demo-agent-token`)."
      },
      "auditorToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An auditor's token (demo: `demo-auditor-token`)."
      },
      "adminToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "An administrator's token (demo: `demo-admin-token`)."
      },
      "open311ApiKey": {
        "type": "apiKey",
        "in": "query",
        "name": "api_key",
        "description": "Open311 creates: a channel's API key as the `api_key` parameter (in the query or the form)."
      }
    },
    "responses": {
      "Problem": {
        "description": "An RFC 9457 problem",
        "content": {
          "application/problem+json": {
            "schema": {
              "$ref": "#/components/schemas/Problem"
            }
          }
        }
      }
    },
    "schemas": {
      "Problem": {
        "type": "object",
        "required": [
          "type",
          "title",
          "status"
        ],
        "properties": {
          "type": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "status": {
            "type": "integer"
          },
          "detail": {
            "type": "string"
          },
          "instance": {
            "type": "string"
          },
          "errors": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "field",
                "message"
              ],
              "properties": {
                "field": {
                  "type": "string"
                },
                "message": {
                  "type": "string"
                }
              }
            }
          }
        }
      },
      "TicketSubmission": {
        "type": "object",
        "description": "A ticket as a channel submits it. Unknown members are ignored. Texts count Unicode code points, may not contain U+0000, and a required text must hold something other than white space. `null` for an optional member is the same as leaving it out.",
        "required": [
          "channel_ref",
          "kind",
          "category",
          "content",
          "caller"
        ],
        "properties": {
          "channel_ref": {
            "type": "string",
            "minLength": 1,
            "maxLength": 128,
            "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\u0000-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f]*$",
            "description": "The channel's own reference: a retry with the same reference and content returns the same ticket (200); with different content, 409."
          },
          "kind": {
            "type": "string",
            "enum": [
              "consultation",
              "help",
              "complaint",
              "report",
              "suggestion",
              "praise"
            ]
          },
          "domain": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "livelihood",
              "law_enforcement",
              "enterprise",
              null
            ],
            "description": "Defaults to the category's domain."
          },
          "category": {
            "type": "string",
            "description": "An id from the category catalogue (`GET /open311/v2/services.json` lists them).",
            "x-hotline-values": "categories"
          },
          "urgency": {
            "type": [
              "string",
              "null"
            ],
            "enum": [
              "normal",
              "urgent",
              "emergency",
              null
            ],
            "description": "Default normal."
          },
          "content": {
            "type": "string",
            "minLength": 1,
            "maxLength": 5000,
            "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
          },
          "caller": {
            "type": "object",
            "description": "Who called. A phone number is required unless `anonymous` is true; an empty phone counts as none.",
            "properties": {
              "name": {
                "type": [
                  "string",
                  "null"
                ],
                "maxLength": 64,
                "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
              },
              "phone": {
                "type": [
                  "string",
                  "null"
                ],
                "pattern": "^((\\+?86)?[ ()-]*(1([ ()-]*[0-9]){10}|0([ ()-]*[0-9]){9,11})[ ()-]*)?$",
                "description": "Mainland mobile (11 digits from 1) or landline with its area code (10–12 digits from 0), optionally after +86, with spaces, hyphens and parentheses anywhere between digits; stored as the national digits."
              },
              "anonymous": {
                "type": [
                  "boolean",
                  "null"
                ],
                "description": "Default false."
              }
            },
            "anyOf": [
              {
                "required": [
                  "anonymous"
                ],
                "properties": {
                  "anonymous": {
                    "const": true
                  }
                }
              },
              {
                "required": [
                  "phone"
                ],
                "properties": {
                  "phone": {
                    "type": "string",
                    "minLength": 1
                  }
                }
              }
            ]
          },
          "location": {
            "type": [
              "object",
              "null"
            ],
            "properties": {
              "address": {
                "type": [
                  "string",
                  "null"
                ],
                "maxLength": 500,
                "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
              },
              "region": {
                "description": "A region code of the county (county, street/town, community or grid).",
                "anyOf": [
                  {
                    "type": "string",
                    "x-hotline-values": "regions"
                  },
                  {
                    "type": "null"
                  }
                ]
              },
              "latitude": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": -90,
                "maximum": 90
              },
              "longitude": {
                "type": [
                  "number",
                  "null"
                ],
                "minimum": -180,
                "maximum": 180
              }
            },
            "description": "Latitude and longitude come together or not at all.",
            "allOf": [
              {
                "if": {
                  "required": [
                    "latitude"
                  ],
                  "properties": {
                    "latitude": {
                      "type": "number"
                    }
                  }
                },
                "then": {
                  "required": [
                    "longitude"
                  ],
                  "properties": {
                    "longitude": {
                      "type": "number"
                    }
                  }
                }
              },
              {
                "if": {
                  "required": [
                    "longitude"
                  ],
                  "properties": {
                    "longitude": {
                      "type": "number"
                    }
                  }
                },
                "then": {
                  "required": [
                    "latitude"
                  ],
                  "properties": {
                    "latitude": {
                      "type": "number"
                    }
                  }
                }
              }
            ]
          },
          "enterprise": {
            "type": [
              "boolean",
              "null"
            ],
            "description": "Default false."
          },
          "attachments": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 10,
            "items": {
              "type": "string",
              "maxLength": 2048,
              "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$",
              "description": "An http(s) link of printable ASCII."
            }
          },
          "tags": {
            "type": [
              "array",
              "null"
            ],
            "maxItems": 10,
            "items": {
              "type": "string",
              "minLength": 1,
              "maxLength": 64,
              "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\u0000-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f]*$"
            }
          },
          "closed_at_intake": {
            "type": [
              "object",
              "null"
            ],
            "description": "A consultation answered on the call (IN-5): closed at once. Give the answer, or a knowledge-base id whose standard answer is used; only for kind consultation.",
            "properties": {
              "answer": {
                "type": [
                  "string",
                  "null"
                ],
                "minLength": 1,
                "maxLength": 5000,
                "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$"
              },
              "knowledge_id": {
                "anyOf": [
                  {
                    "type": "string",
                    "x-hotline-values": "knowledge"
                  },
                  {
                    "type": "null"
                  }
                ]
              }
            },
            "anyOf": [
              {
                "required": [
                  "answer"
                ],
                "properties": {
                  "answer": {
                    "type": "string"
                  }
                }
              },
              {
                "required": [
                  "knowledge_id"
                ],
                "properties": {
                  "knowledge_id": {
                    "type": "string"
                  }
                }
              }
            ]
          }
        },
        "allOf": [
          {
            "if": {
              "required": [
                "closed_at_intake"
              ],
              "properties": {
                "closed_at_intake": {
                  "type": "object"
                }
              }
            },
            "then": {
              "properties": {
                "kind": {
                  "const": "consultation"
                }
              }
            }
          }
        ]
      },
      "TicketView": {
        "type": "object",
        "required": [
          "id",
          "status",
          "channel",
          "channel_ref",
          "category",
          "urgency",
          "received_at",
          "updated_at",
          "repeat_count"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "received",
              "queued",
              "dispatched",
              "accepted",
              "replied",
              "reopened",
              "closed",
              "repeat"
            ]
          },
          "channel": {
            "type": "string"
          },
          "channel_ref": {
            "type": "string"
          },
          "category": {
            "type": "string"
          },
          "urgency": {
            "type": "string"
          },
          "lead_unit": {
            "type": "string"
          },
          "reply": {
            "type": "string"
          },
          "received_at": {
            "type": "string",
            "format": "date-time"
          },
          "updated_at": {
            "type": "string",
            "format": "date-time"
          },
          "repeat_of": {
            "type": "string"
          },
          "repeat_count": {
            "type": "integer"
          }
        }
      },
      "KnowledgeHit": {
        "type": "object",
        "required": [
          "id",
          "category",
          "question",
          "answer",
          "score"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "category": {
            "type": "string"
          },
          "question": {
            "type": "string"
          },
          "answer": {
            "type": "string"
          },
          "score": {
            "type": "number"
          }
        }
      },
      "CitizenStatus": {
        "type": "object",
        "required": [
          "id",
          "status"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "status": {
            "type": "string"
          },
          "reply": {
            "type": [
              "string",
              "null"
            ]
          }
        }
      },
      "Contact": {
        "type": "object",
        "required": [
          "ticket",
          "anonymous"
        ],
        "properties": {
          "ticket": {
            "type": "string"
          },
          "name": {
            "type": [
              "string",
              "null"
            ]
          },
          "phone": {
            "type": [
              "string",
              "null"
            ]
          },
          "anonymous": {
            "type": "boolean"
          }
        }
      },
      "ContactLookup": {
        "type": "object",
        "properties": {
          "ticket": {
            "type": "string"
          },
          "who": {
            "type": "string"
          },
          "role": {
            "type": "string"
          },
          "at": {
            "type": "string",
            "format": "date-time"
          }
        }
      },
      "Readiness": {
        "type": "object",
        "properties": {
          "status": {
            "type": "string"
          },
          "service": {
            "type": "string"
          },
          "database": {
            "type": "string"
          },
          "migrations": {
            "type": "integer"
          },
          "expectedMigrations": {
            "type": "integer"
          },
          "bus": {
            "type": "string"
          },
          "streams": {
            "type": "object"
          },
          "deadLetters": {
            "type": "integer"
          }
        }
      },
      "DeadLetter": {
        "type": "object",
        "properties": {
          "stream": {
            "type": "string"
          },
          "seq": {
            "type": "integer"
          },
          "type": {
            "type": "string"
          },
          "error": {
            "type": "string"
          },
          "attempts": {
            "type": "integer"
          },
          "failedAt": {
            "type": "string"
          },
          "event": {
            "type": "object"
          }
        }
      }
    }
  },
  "paths": {
    "/v1/tickets": {
      "post": {
        "summary": "Submit a ticket (channels)",
        "security": [
          {
            "channelKey": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/TicketSubmission"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Stored durably and announced",
            "headers": {
              "Location": {
                "schema": {
                  "type": "string"
                }
              }
            },
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TicketView"
                }
              }
            },
            "links": {
              "GetTicket": {
                "operationId": "getV1TicketsId",
                "parameters": {
                  "id": "$response.body#/id"
                },
                "description": "The ticket just stored"
              },
              "GetContact": {
                "operationId": "getV1TicketsIdContact",
                "parameters": {
                  "id": "$response.body#/id"
                },
                "description": "The caller's contact (recorded look-up)"
              },
              "ListContactLookups": {
                "operationId": "getV1ContactLookups",
                "parameters": {
                  "ticket": "$response.body#/id"
                },
                "description": "Look-ups of this ticket's contact"
              }
            }
          },
          "200": {
            "description": "A retry: the ticket stored earlier under this channel_ref",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TicketView"
                }
              }
            },
            "links": {
              "GetTicket": {
                "operationId": "getV1TicketsId",
                "parameters": {
                  "id": "$response.body#/id"
                },
                "description": "The ticket just stored"
              },
              "GetContact": {
                "operationId": "getV1TicketsIdContact",
                "parameters": {
                  "id": "$response.body#/id"
                },
                "description": "The caller's contact (recorded look-up)"
              },
              "ListContactLookups": {
                "operationId": "getV1ContactLookups",
                "parameters": {
                  "ticket": "$response.body#/id"
                },
                "description": "Look-ups of this ticket's contact"
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          },
          "413": {
            "$ref": "#/components/responses/Problem"
          },
          "415": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "429": {
            "description": "Over the channel's rate; see Retry-After",
            "headers": {
              "Retry-After": {
                "schema": {
                  "type": "integer"
                }
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        },
        "operationId": "postV1Tickets"
      }
    },
    "/v1/tickets/{id}": {
      "get": {
        "summary": "A ticket's current status (a channel sees its own tickets only)",
        "security": [
          {
            "channelKey": []
          },
          {
            "centreToken": []
          },
          {
            "agentToken": []
          },
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The ticket",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/TicketView"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1TicketsId"
      }
    },
    "/v1/tickets/{id}/contact": {
      "get": {
        "summary": "The caller's contact, for a callback; every look-up is recorded first",
        "security": [
          {
            "agentToken": []
          },
          {
            "centreToken": []
          }
        ],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The contact",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Contact"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1TicketsIdContact"
      }
    },
    "/v1/contact-lookups": {
      "get": {
        "summary": "Recorded contact look-ups (admin, auditor)",
        "security": [
          {
            "adminToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "parameters": [
          {
            "name": "ticket",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Newest first, at most 1000",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/ContactLookup"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1ContactLookups"
      }
    },
    "/v1/knowledge": {
      "get": {
        "summary": "Search the standard answers (works for Chinese text)",
        "security": [
          {
            "channelKey": []
          },
          {
            "centreToken": []
          },
          {
            "agentToken": []
          }
        ],
        "parameters": [
          {
            "name": "q",
            "in": "query",
            "required": true,
            "description": "Words to look for (Chinese works); only white space finds nothing.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 200,
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Best first, at most 10",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/KnowledgeHit"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1Knowledge"
      }
    },
    "/v1/status/{id}": {
      "get": {
        "summary": "Citizen status: ticket id plus the last four digits of the phone. A wrong pair is answered exactly like a missing ticket.",
        "security": [],
        "parameters": [
          {
            "name": "id",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "phone_last4",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{4}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Status and published reply, nothing else",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/CitizenStatus"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          },
          "422": {
            "$ref": "#/components/responses/Problem"
          },
          "429": {
            "description": "Too many look-ups from this client",
            "headers": {
              "Retry-After": {
                "schema": {
                  "type": "integer"
                }
              }
            },
            "content": {
              "application/problem+json": {
                "schema": {
                  "$ref": "#/components/schemas/Problem"
                }
              }
            }
          }
        },
        "operationId": "getV1StatusId"
      }
    },
    "/openapi.json": {
      "get": {
        "summary": "This document",
        "security": [],
        "responses": {
          "200": {
            "description": "OpenAPI 3.1",
            "content": {
              "application/json": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getOpenapiJson"
      }
    },
    "/healthz": {
      "get": {
        "summary": "Liveness",
        "security": [],
        "responses": {
          "200": {
            "description": "ok",
            "content": {
              "text/plain": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getHealthz"
      }
    },
    "/readyz": {
      "get": {
        "summary": "Readiness: database (and whether it can be written), migrations, bus, each followed stream's cursor, head, lag and state, open dead letters",
        "security": [],
        "responses": {
          "200": {
            "description": "Ready: every stream flowing and the database writable; degraded (still 200) when warnings list something an operator must fix",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "status",
                    "service",
                    "database",
                    "migrations",
                    "expected_migrations",
                    "bus",
                    "streams",
                    "dead_letters",
                    "warnings",
                    "clock",
                    "clock_mode",
                    "stream_head"
                  ],
                  "properties": {
                    "status": {
                      "enum": [
                        "ready",
                        "degraded",
                        "not ready"
                      ]
                    },
                    "service": {
                      "type": "string"
                    },
                    "database": {
                      "type": "string",
                      "description": "ok; not writable: FAULT (the latest write failed on a storage fault: disk full, read-only, I/O, connection); or error: … when it cannot be read"
                    },
                    "migrations": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "expected_migrations": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "bus": {
                      "enum": [
                        "connected",
                        "disconnected"
                      ]
                    },
                    "streams": {
                      "type": "object",
                      "description": "Each followed stream",
                      "additionalProperties": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "cursor",
                          "head",
                          "lag",
                          "state"
                        ],
                        "properties": {
                          "cursor": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "head": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "lag": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "state": {
                            "enum": [
                              "flowing",
                              "stalled",
                              "broken"
                            ],
                            "description": "stalled: waiting out a storage fault, retried without end; broken: an event that does not continue the stream's chain was refused, waiting for the real one"
                          },
                          "fault": {
                            "type": [
                              "string",
                              "null"
                            ]
                          }
                        }
                      }
                    },
                    "dead_letters": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "warnings": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "description": "What the service works through but an operator must fix (status degraded, still 200): e.g. a calendar year missing from calendar.json"
                    },
                    "clock": {
                      "type": "string",
                      "format": "date-time",
                      "description": "The time this service stamps requests with now"
                    },
                    "clock_mode": {
                      "enum": [
                        "system",
                        "manual"
                      ],
                      "description": "manual: the suite's clock set with `hotline clock` (not ready until the bus has given it)"
                    },
                    "stream_head": {
                      "type": "integer",
                      "minimum": 0,
                      "description": "The head (last seq) of this service's own stream"
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "503": {
            "description": "Not ready",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "status",
                    "service",
                    "database",
                    "migrations",
                    "expected_migrations",
                    "bus",
                    "streams",
                    "dead_letters",
                    "warnings",
                    "clock",
                    "clock_mode",
                    "stream_head"
                  ],
                  "properties": {
                    "status": {
                      "enum": [
                        "ready",
                        "degraded",
                        "not ready"
                      ]
                    },
                    "service": {
                      "type": "string"
                    },
                    "database": {
                      "type": "string",
                      "description": "ok; not writable: FAULT (the latest write failed on a storage fault: disk full, read-only, I/O, connection); or error: … when it cannot be read"
                    },
                    "migrations": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "expected_migrations": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "bus": {
                      "enum": [
                        "connected",
                        "disconnected"
                      ]
                    },
                    "streams": {
                      "type": "object",
                      "description": "Each followed stream",
                      "additionalProperties": {
                        "type": "object",
                        "additionalProperties": false,
                        "required": [
                          "cursor",
                          "head",
                          "lag",
                          "state"
                        ],
                        "properties": {
                          "cursor": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "head": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "lag": {
                            "type": "integer",
                            "minimum": 0
                          },
                          "state": {
                            "enum": [
                              "flowing",
                              "stalled",
                              "broken"
                            ],
                            "description": "stalled: waiting out a storage fault, retried without end; broken: an event that does not continue the stream's chain was refused, waiting for the real one"
                          },
                          "fault": {
                            "type": [
                              "string",
                              "null"
                            ]
                          }
                        }
                      }
                    },
                    "dead_letters": {
                      "type": "integer",
                      "minimum": 0
                    },
                    "warnings": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "description": "What the service works through but an operator must fix (status degraded, still 200): e.g. a calendar year missing from calendar.json"
                    },
                    "clock": {
                      "type": "string",
                      "format": "date-time",
                      "description": "The time this service stamps requests with now"
                    },
                    "clock_mode": {
                      "enum": [
                        "system",
                        "manual"
                      ],
                      "description": "manual: the suite's clock set with `hotline clock` (not ready until the bus has given it)"
                    },
                    "stream_head": {
                      "type": "integer",
                      "minimum": 0,
                      "description": "The head (last seq) of this service's own stream"
                    }
                  }
                }
              }
            }
          }
        },
        "operationId": "getReadyz"
      }
    },
    "/metrics": {
      "get": {
        "summary": "Prometheus metrics",
        "security": [],
        "responses": {
          "200": {
            "description": "Text exposition format",
            "content": {
              "text/plain": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getMetrics",
        "description": "Open unless HOTLINE_METRICS_TOKEN is set; then only `Authorization: Bearer <that token>` (the scraper's secret) gets them, and anything else a 401."
      }
    },
    "/v1/admin/dead-letters": {
      "get": {
        "summary": "Events this service could not apply",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "Open dead letters",
            "content": {
              "application/json": {
                "schema": {
                  "type": "array",
                  "items": {
                    "$ref": "#/components/schemas/DeadLetter"
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1AdminDeadLetters"
      }
    },
    "/v1/admin/dead-letters/{stream}/{seq}/redrive": {
      "post": {
        "summary": "Apply a dead-lettered event again",
        "security": [
          {
            "adminToken": []
          }
        ],
        "parameters": [
          {
            "name": "stream",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "seq",
            "in": "path",
            "required": true,
            "schema": {
              "type": "integer",
              "format": "int64",
              "minimum": 1,
              "maximum": 9223372036854775807
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Outcome",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "404": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "postV1AdminDeadLettersStreamSeqRedrive"
      }
    },
    "/v1/admin/rebuild": {
      "post": {
        "summary": "Recompute this service's projection from its followed streams (admin)",
        "description": "Empties the projection tables and moves every cursor back to 0 in one transaction while the followers hold; they then fetch each stream from seq 1 and apply it again. Figures are incomplete until /readyz shows lag 0 again. Only a service whose whole store is a projection of its streams (kpi) can be rebuilt; the others answer 409.",
        "security": [
          {
            "adminToken": []
          }
        ],
        "responses": {
          "202": {
            "description": "The reset is committed; the streams are being applied again",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "additionalProperties": false,
                  "required": [
                    "service",
                    "tables",
                    "replaying"
                  ],
                  "properties": {
                    "service": {
                      "type": "string"
                    },
                    "tables": {
                      "type": "array",
                      "items": {
                        "type": "string"
                      },
                      "minItems": 1
                    },
                    "replaying": {
                      "type": "object",
                      "description": "Each followed stream's cursor before the reset: the events applied again",
                      "additionalProperties": {
                        "type": "integer",
                        "minimum": 0
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          },
          "409": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "postV1AdminRebuild"
      }
    },
    "/v1/admin/stream/verify": {
      "get": {
        "summary": "Recompute the event hash chain",
        "security": [
          {
            "adminToken": []
          },
          {
            "auditorToken": []
          }
        ],
        "responses": {
          "200": {
            "description": "Whether the chain is intact",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          },
          "401": {
            "$ref": "#/components/responses/Problem"
          },
          "403": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getV1AdminStreamVerify"
      }
    },
    "/open311/discovery.json": {
      "get": {
        "summary": "Open311 discovery",
        "tags": [
          "open311"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "Discovery document",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getOpen311DiscoveryJson"
      }
    },
    "/open311/v2/services.json": {
      "get": {
        "summary": "Open311 service list (the category catalogue)",
        "tags": [
          "open311"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "Services",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getOpen311V2ServicesJson"
      }
    },
    "/open311/v2/requests.json": {
      "get": {
        "summary": "Open311 query requests: service_request_id (comma list, overrides the rest), service_code, start_date, end_date (at most 90 days, default the last 90), status (open, closed). Public: status, category, agency, dates, region code and published reply only.",
        "tags": [
          "open311"
        ],
        "security": [],
        "parameters": [
          {
            "name": "service_request_id",
            "in": "query",
            "description": "Request ids, comma-separated (at most 100); when given, the other filters are ignored. Empty counts as absent.",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "service_code",
            "in": "query",
            "description": "Service codes, comma-separated; spaces around items are ignored.",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "start_date",
            "in": "query",
            "description": "A W3C date or date-time (2026, 2026-11, 2026-11-23, 2026-11-23T09:00, …T09:00:00.5+08:00; Z, ±hh:mm, ±hhmm or ±hh; no zone means the county's). Without end_date: the 90 days from it.",
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}(-(0[1-9]|1[0-2]))?|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?([Zz]|[+ -](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?)?$"
            }
          },
          {
            "name": "end_date",
            "in": "query",
            "description": "As start_date; a date means up to the end of it. Without start_date: the 90 days before it. A range over 90 days is cut to the 90 days before end_date; a reversed one holds nothing.",
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}(-(0[1-9]|1[0-2]))?|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?([Zz]|[+ -](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?)?$"
            }
          },
          {
            "name": "status",
            "in": "query",
            "description": "open, closed or both, comma-separated, any case.",
            "schema": {
              "type": "string",
              "pattern": "^[ \\t]*(([Oo][Pp][Ee][Nn]|[Cc][Ll][Oo][Ss][Ee][Dd])[ \\t]*)?(,[ \\t]*(([Oo][Pp][Ee][Nn]|[Cc][Ll][Oo][Ss][Ee][Dd])[ \\t]*)?)*$"
            }
          },
          {
            "name": "jurisdiction_id",
            "in": "query",
            "description": "Ignored: one jurisdiction per endpoint.",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Requests, newest first, at most 1000",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          }
        },
        "operationId": "getOpen311V2RequestsJson"
      },
      "post": {
        "summary": "Open311 create request (form-encoded; api_key is a channel key)",
        "tags": [
          "open311"
        ],
        "security": [
          {
            "open311ApiKey": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "description": "GeoReport v2 create. Empty fields count as absent; unknown fields are ignored. A location is required: lat and long, address_string or address_id. Without attribute[channel_ref], the same normalised fields from the same channel within the deduplication window (24 h by default) return the earlier request.",
                "required": [
                  "service_code"
                ],
                "properties": {
                  "api_key": {
                    "type": "string",
                    "description": "A channel key; may instead be given in the query."
                  },
                  "service_code": {
                    "type": "string",
                    "x-hotline-values": "categories"
                  },
                  "lat": {
                    "anyOf": [
                      {
                        "type": "number",
                        "minimum": -90,
                        "maximum": 90
                      },
                      {
                        "type": "string",
                        "maxLength": 0
                      }
                    ]
                  },
                  "long": {
                    "anyOf": [
                      {
                        "type": "number",
                        "minimum": -180,
                        "maximum": 180
                      },
                      {
                        "type": "string",
                        "maxLength": 0
                      }
                    ]
                  },
                  "address_string": {
                    "type": "string",
                    "maxLength": 500,
                    "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
                  },
                  "address_id": {
                    "type": "string",
                    "description": "A region code of the county, or empty.",
                    "anyOf": [
                      {
                        "x-hotline-values": "regions"
                      },
                      {
                        "maxLength": 0
                      }
                    ]
                  },
                  "first_name": {
                    "type": "string",
                    "maxLength": 31,
                    "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
                  },
                  "last_name": {
                    "type": "string",
                    "maxLength": 32,
                    "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
                  },
                  "phone": {
                    "type": "string",
                    "pattern": "^((\\+?86)?[ ()-]*(1([ ()-]*[0-9]){10}|0([ ()-]*[0-9]){9,11})[ ()-]*)?$",
                    "description": "As caller.phone of POST /v1/tickets; without one the request is anonymous."
                  },
                  "email": {
                    "type": "string",
                    "description": "Ignored: intake keeps no e-mail addresses."
                  },
                  "device_id": {
                    "type": "string",
                    "description": "Ignored."
                  },
                  "account_id": {
                    "type": "string",
                    "description": "Ignored."
                  },
                  "description": {
                    "type": "string",
                    "maxLength": 5000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$",
                    "description": "Optional; without it the service name stands in."
                  },
                  "media_url": {
                    "type": "string",
                    "maxLength": 2048,
                    "anyOf": [
                      {
                        "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"
                      },
                      {
                        "maxLength": 0
                      }
                    ]
                  },
                  "attribute[kind]": {
                    "type": "string",
                    "enum": [
                      "consultation",
                      "help",
                      "complaint",
                      "report",
                      "suggestion",
                      "praise",
                      ""
                    ],
                    "description": "Default complaint."
                  },
                  "attribute[urgency]": {
                    "type": "string",
                    "enum": [
                      "normal",
                      "urgent",
                      "emergency",
                      ""
                    ],
                    "description": "Default normal."
                  },
                  "attribute[enterprise]": {
                    "type": "string",
                    "enum": [
                      "true",
                      "True",
                      "TRUE",
                      "yes",
                      "Yes",
                      "YES",
                      "1",
                      "是",
                      "false",
                      "False",
                      "FALSE",
                      "no",
                      "No",
                      "NO",
                      "0",
                      "否",
                      ""
                    ]
                  },
                  "attribute[channel_ref]": {
                    "type": "string",
                    "maxLength": 128,
                    "anyOf": [
                      {
                        "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\u0000-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f]*$"
                      },
                      {
                        "maxLength": 0
                      }
                    ],
                    "description": "The client's own reference: a retry with it returns the same request; reused for different content, 409."
                  }
                },
                "anyOf": [
                  {
                    "required": [
                      "lat",
                      "long"
                    ],
                    "properties": {
                      "lat": {
                        "type": "number"
                      },
                      "long": {
                        "type": "number"
                      }
                    }
                  },
                  {
                    "required": [
                      "address_string"
                    ],
                    "properties": {
                      "address_string": {
                        "minLength": 1
                      }
                    }
                  },
                  {
                    "required": [
                      "address_id"
                    ],
                    "properties": {
                      "address_id": {
                        "minLength": 1
                      }
                    }
                  }
                ],
                "allOf": [
                  {
                    "if": {
                      "required": [
                        "lat"
                      ],
                      "properties": {
                        "lat": {
                          "type": "number"
                        }
                      }
                    },
                    "then": {
                      "required": [
                        "long"
                      ],
                      "properties": {
                        "long": {
                          "type": "number"
                        }
                      }
                    }
                  },
                  {
                    "if": {
                      "required": [
                        "long"
                      ],
                      "properties": {
                        "long": {
                          "type": "number"
                        }
                      }
                    },
                    "then": {
                      "required": [
                        "lat"
                      ],
                      "properties": {
                        "lat": {
                          "type": "number"
                        }
                      }
                    }
                  }
                ]
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "[{service_request_id, service_notice, account_id}]",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "403": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "429": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "409": {
            "description": "attribute[channel_ref] was used before for a different request (Open311 errors)",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          }
        },
        "operationId": "postOpen311V2RequestsJson"
      }
    },
    "/open311/discovery.xml": {
      "get": {
        "summary": "Open311 discovery",
        "tags": [
          "open311"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "Discovery document",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getOpen311DiscoveryXml"
      }
    },
    "/open311/v2/services.xml": {
      "get": {
        "summary": "Open311 service list (the category catalogue)",
        "tags": [
          "open311"
        ],
        "security": [],
        "responses": {
          "200": {
            "description": "Services",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "$ref": "#/components/responses/Problem"
          }
        },
        "operationId": "getOpen311V2ServicesXml"
      }
    },
    "/open311/v2/requests.xml": {
      "get": {
        "summary": "Open311 query requests: service_request_id (comma list, overrides the rest), service_code, start_date, end_date (at most 90 days, default the last 90), status (open, closed). Public: status, category, agency, dates, region code and published reply only.",
        "tags": [
          "open311"
        ],
        "security": [],
        "parameters": [
          {
            "name": "service_request_id",
            "in": "query",
            "description": "Request ids, comma-separated (at most 100); when given, the other filters are ignored. Empty counts as absent.",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "service_code",
            "in": "query",
            "description": "Service codes, comma-separated; spaces around items are ignored.",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          },
          {
            "name": "start_date",
            "in": "query",
            "description": "A W3C date or date-time (2026, 2026-11, 2026-11-23, 2026-11-23T09:00, …T09:00:00.5+08:00; Z, ±hh:mm, ±hhmm or ±hh; no zone means the county's). Without end_date: the 90 days from it.",
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}(-(0[1-9]|1[0-2]))?|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?([Zz]|[+ -](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?)?$"
            }
          },
          {
            "name": "end_date",
            "in": "query",
            "description": "As start_date; a date means up to the end of it. Without start_date: the 90 days before it. A range over 90 days is cut to the 90 days before end_date; a reversed one holds nothing.",
            "schema": {
              "type": "string",
              "pattern": "^((19|2[0-9])[0-9]{2}(-(0[1-9]|1[0-2]))?|((19|2[0-9])[0-9]{2}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-8]))|((19|2[0-9])(0[48]|[2468][048]|[13579][26])|2[048]00)-02-29)([Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?([Zz]|[+ -](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?)?$"
            }
          },
          {
            "name": "status",
            "in": "query",
            "description": "open, closed or both, comma-separated, any case.",
            "schema": {
              "type": "string",
              "pattern": "^[ \\t]*(([Oo][Pp][Ee][Nn]|[Cc][Ll][Oo][Ss][Ee][Dd])[ \\t]*)?(,[ \\t]*(([Oo][Pp][Ee][Nn]|[Cc][Ll][Oo][Ss][Ee][Dd])[ \\t]*)?)*$"
            }
          },
          {
            "name": "jurisdiction_id",
            "in": "query",
            "description": "Ignored: one jurisdiction per endpoint.",
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u0008\\u000e-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Requests, newest first, at most 1000",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          }
        },
        "operationId": "getOpen311V2RequestsXml"
      },
      "post": {
        "summary": "Open311 create request (form-encoded; api_key is a channel key)",
        "tags": [
          "open311"
        ],
        "security": [
          {
            "open311ApiKey": []
          }
        ],
        "requestBody": {
          "required": true,
          "content": {
            "application/x-www-form-urlencoded": {
              "schema": {
                "type": "object",
                "description": "GeoReport v2 create. Empty fields count as absent; unknown fields are ignored. A location is required: lat and long, address_string or address_id. Without attribute[channel_ref], the same normalised fields from the same channel within the deduplication window (24 h by default) return the earlier request.",
                "required": [
                  "service_code"
                ],
                "properties": {
                  "api_key": {
                    "type": "string",
                    "description": "A channel key; may instead be given in the query."
                  },
                  "service_code": {
                    "type": "string",
                    "x-hotline-values": "categories"
                  },
                  "lat": {
                    "anyOf": [
                      {
                        "type": "number",
                        "minimum": -90,
                        "maximum": 90
                      },
                      {
                        "type": "string",
                        "maxLength": 0
                      }
                    ]
                  },
                  "long": {
                    "anyOf": [
                      {
                        "type": "number",
                        "minimum": -180,
                        "maximum": 180
                      },
                      {
                        "type": "string",
                        "maxLength": 0
                      }
                    ]
                  },
                  "address_string": {
                    "type": "string",
                    "maxLength": 500,
                    "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
                  },
                  "address_id": {
                    "type": "string",
                    "description": "A region code of the county, or empty.",
                    "anyOf": [
                      {
                        "x-hotline-values": "regions"
                      },
                      {
                        "maxLength": 0
                      }
                    ]
                  },
                  "first_name": {
                    "type": "string",
                    "maxLength": 31,
                    "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
                  },
                  "last_name": {
                    "type": "string",
                    "maxLength": 32,
                    "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
                  },
                  "phone": {
                    "type": "string",
                    "pattern": "^((\\+?86)?[ ()-]*(1([ ()-]*[0-9]){10}|0([ ()-]*[0-9]){9,11})[ ()-]*)?$",
                    "description": "As caller.phone of POST /v1/tickets; without one the request is anonymous."
                  },
                  "email": {
                    "type": "string",
                    "description": "Ignored: intake keeps no e-mail addresses."
                  },
                  "device_id": {
                    "type": "string",
                    "description": "Ignored."
                  },
                  "account_id": {
                    "type": "string",
                    "description": "Ignored."
                  },
                  "description": {
                    "type": "string",
                    "maxLength": 5000,
                    "pattern": "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$",
                    "description": "Optional; without it the service name stands in."
                  },
                  "media_url": {
                    "type": "string",
                    "maxLength": 2048,
                    "anyOf": [
                      {
                        "pattern": "^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?#][!-~]*)?$"
                      },
                      {
                        "maxLength": 0
                      }
                    ]
                  },
                  "attribute[kind]": {
                    "type": "string",
                    "enum": [
                      "consultation",
                      "help",
                      "complaint",
                      "report",
                      "suggestion",
                      "praise",
                      ""
                    ],
                    "description": "Default complaint."
                  },
                  "attribute[urgency]": {
                    "type": "string",
                    "enum": [
                      "normal",
                      "urgent",
                      "emergency",
                      ""
                    ],
                    "description": "Default normal."
                  },
                  "attribute[enterprise]": {
                    "type": "string",
                    "enum": [
                      "true",
                      "True",
                      "TRUE",
                      "yes",
                      "Yes",
                      "YES",
                      "1",
                      "是",
                      "false",
                      "False",
                      "FALSE",
                      "no",
                      "No",
                      "NO",
                      "0",
                      "否",
                      ""
                    ]
                  },
                  "attribute[channel_ref]": {
                    "type": "string",
                    "maxLength": 128,
                    "anyOf": [
                      {
                        "pattern": "^[^\\u0000-\\u001f\\u007f]*[^\\u0000-\\u001f\\u007f\\t-\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f]*$"
                      },
                      {
                        "maxLength": 0
                      }
                    ],
                    "description": "The client's own reference: a retry with it returns the same request; reused for different content, 409."
                  }
                },
                "anyOf": [
                  {
                    "required": [
                      "lat",
                      "long"
                    ],
                    "properties": {
                      "lat": {
                        "type": "number"
                      },
                      "long": {
                        "type": "number"
                      }
                    }
                  },
                  {
                    "required": [
                      "address_string"
                    ],
                    "properties": {
                      "address_string": {
                        "minLength": 1
                      }
                    }
                  },
                  {
                    "required": [
                      "address_id"
                    ],
                    "properties": {
                      "address_id": {
                        "minLength": 1
                      }
                    }
                  }
                ],
                "allOf": [
                  {
                    "if": {
                      "required": [
                        "lat"
                      ],
                      "properties": {
                        "lat": {
                          "type": "number"
                        }
                      }
                    },
                    "then": {
                      "required": [
                        "long"
                      ],
                      "properties": {
                        "long": {
                          "type": "number"
                        }
                      }
                    }
                  },
                  {
                    "if": {
                      "required": [
                        "long"
                      ],
                      "properties": {
                        "long": {
                          "type": "number"
                        }
                      }
                    },
                    "then": {
                      "required": [
                        "lat"
                      ],
                      "properties": {
                        "lat": {
                          "type": "number"
                        }
                      }
                    }
                  }
                ]
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "[{service_request_id, service_notice, account_id}]",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "403": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "429": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "409": {
            "description": "attribute[channel_ref] was used before for a different request (Open311 errors)",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          }
        },
        "operationId": "postOpen311V2RequestsXml"
      }
    },
    "/open311/v2/services/{file}": {
      "get": {
        "summary": "Open311 service definition: {service_code}.json|xml",
        "tags": [
          "open311"
        ],
        "security": [],
        "parameters": [
          {
            "name": "file",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The resource",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "404": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          }
        },
        "operationId": "getOpen311V2ServicesFile"
      }
    },
    "/open311/v2/requests/{file}": {
      "get": {
        "summary": "Open311 single request: {id}.json|xml",
        "tags": [
          "open311"
        ],
        "security": [],
        "parameters": [
          {
            "name": "file",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The resource",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "404": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          }
        },
        "operationId": "getOpen311V2RequestsFile"
      }
    },
    "/open311/v2/tokens/{file}": {
      "get": {
        "summary": "Open311 token look-up: {token}.json|xml (a token is the request id)",
        "tags": [
          "open311"
        ],
        "security": [],
        "parameters": [
          {
            "name": "file",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[^\\u0000-\\u001f\\u007f]*$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The resource",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "400": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          },
          "404": {
            "description": "Open311 errors: [{code, description}] or <errors><error>…",
            "content": {
              "application/json": {},
              "text/xml": {}
            }
          }
        },
        "operationId": "getOpen311V2TokensFile"
      }
    }
  }
}
"""#
}
