/**
 * The payloads printed in the Data Trust document (seed 004), copied as they are (comments removed)
 * so tests can prove the schemas read what the provider documents. Where the document prints a
 * placeholder instead of a value (`"{Valor do Token}"`, `"Waiting|Valid|Incorret|Invalid|Expired"`)
 * it is kept: the tests show how the schemas treat it.
 */

export const authenticationRequestExample = {
  Username: '{Seu Usuário}',
  Password: '{Sua Senha}',
};

export const authenticationResponseExample = {
  token: '{Valor do Token}',
  expiresInSeconds: '{Tempo de Expiração do Token em segundos}',
};

/** Printed with an extra pair of braces, so not JSON at all. */
export const authenticationErrorBodyExample = `{
    {
        "message": "Username or Password is incorrect"
    }
}`;

export const sendTransactionRequestExample = {
  Document: '12345678912',
  DocumentType: 'CPF',
  AreaCode: '11',
  Phone: '123456789',
  SendOption: [1, 2],
  VerifiedPhone: false,
  VerifiedEmail: false,
  Address: {
    ZipCode: '00000000',
    Street: 'Rua teste',
    Number: '12355',
    Complement: 'Esquina 3',
    District: 'B13',
    City: 'São Paulo',
    State: 'SP',
    Country: 'Brasil',
    PhysicalDelivery: false,
  },
  Email: 'joao.silva@email.com.br',
  SessionID: 'SessionID123',
  AdditionalInformation: {
    Transaction: 'PED0123',
    Item: 'Produto Item',
    Price: '23.60',
    CustomerName: 'João da Silva Junior',
    Other: 'Outra informação',
  },
  Type: 1,
  ReferenceDate: '2019-06-05T12:00:00.000',
};

/** `Results` of the send, individual query and result query examples (identical in the three). */
export const resultsExample = {
  Score: {
    Value: 90.99,
    Reason: 'Confirmação do TokenSMS',
    Date: '2019-06-07T12:45:00.000',
    Timeline: [
      { Value: 80.0, Reason: 'Confirmação do TokenSMS', Date: '2018-06-07T12:45:00.000' },
      { Value: 55.5, Reason: 'Confirmação do TokenSMS', Date: '2018-06-05T12:45:00.000' },
    ],
  },
  Validation: {
    SMSVerification: {
      Sent: {
        Text: 'Ola Joao Silva! Você está participando do teste do XTrust? 1 - SIM, 2 - NAO, 3 - Nao sou Joao Silva',
        Date: '2018-06-05T12:00:00.000',
      },
      Replied: { Text: '1) SIM', Date: '2018-06-05T12:45:00.000' },
      ConditionalRule: null,
    },
    EmailVerification: {
      Sent: {
        Text: 'Ola Joao Silva! Você está participando do teste do XTrust?',
        Date: '2018-06-05T12:00:00.000',
      },
      Replied: { Text: '1', Date: '2018-06-05T12:45:00.000' },
    },
    TokenSMS: { result: 'Waiting|Valid|Incorret|Invalid|Expired', Date: '2018-06-05T12:45:00.000' },
    TokenEmail: { result: 'Waiting|Valid|Expired', Date: '2018-06-05T12:45:00.000' },
  },
  Ratings: [
    {
      Value: 3,
      RelatedTo: ['Document', 'Phone'],
      Timeline: [
        { Value: 2, Reason: 'Confirmação do TokenSMS', Date: '2018-06-07T12:45:00.000' },
        { Value: 1, Reason: 'Confirmação do TokenSMS', Date: '2018-06-05T12:45:00.000' },
      ],
    },
    { Value: 3, RelatedTo: ['Document', 'ZipCode'] },
    { Value: 2, RelatedTo: ['Document', 'Email'] },
  ],
  Insights: [
    {
      Code: 'TEL001',
      Description: 'O Celular informado foi visto nos ultimos 3 meses.',
      Type: 'consulta',
      Category: 'fraude',
      Relevance: 'Positivo',
      RelatedTo: ['Document', 'Phone'],
    },
    {
      Code: 'TEL002',
      Description: 'O endereço informado não pertence a pessoa.',
      Type: 'consulta',
      Category: 'fraude',
      Relevance: 'Neutro',
      RelatedTo: ['Document', 'ZipCode'],
    },
    {
      Code: 'TEL002',
      Description: 'O device informado foi visto nos ultimos 3 meses.',
      Type: 'consulta',
      Category: 'fraude',
      Relevance: 'Alerta',
      RelatedTo: ['Device'],
    },
  ],
};

/** The answer of the send and individual query calls. */
export const transactionResponseExample = {
  ID: 'teste01',
  Document: '12345678912',
  DocumentType: 'CPF',
  AreaCode: '11',
  Phone: '985985875',
  SendOption: [1, 2],
  VerifiedPhone: false,
  VerifiedEmail: false,
  Address: {
    ZipCode: '00000000',
    Street: 'Rua teste',
    Number: '12355',
    Complement: 'Esquina 3',
    District: 'B13',
    City: 'São Paulo',
    State: 'SP',
    Country: 'Brasil',
    PhysicalDelivery: false,
  },
  Email: 'joao.silva@email.com.br',
  SessionID: 'SessionID123',
  AdditionalInformation: {
    Item: 'Produto Item',
    Price: '23.60',
    CustomerName: 'João da Silva Junior',
    Other: 'Outra informação',
  },
  Type: 1,
  CreationDate: '2019-06-05T12:00:00.000',
  ReferenceDate: '2019-06-05T12:00:00.000',
  Results: resultsExample,
};

/** Printed with an extra pair of braces, so not JSON at all. */
export const sendTransactionErrorBodyExample = `{
    {
        "AreaCode": [
            "Phone is required because AreaCode has a value."
        ],
        "Document": [
            "The field Document is invalid."
        ]
    }
}`;

const searchedTransactionExample = (id: string, creationDate: string, resultDate: string) => ({
  id,
  ReferenceDate: '2019-09-13T03:00:00Z',
  Type: 1,
  Document: '12345678912',
  DocumentType: 'CPF',
  AreaCode: null,
  Phone: null,
  VerifiedPhone: false,
  SendOption: [],
  Address: null,
  VerifiedEmail: false,
  SessionID: null,
  AdditionalInformation: null,
  CreationDate: creationDate,
  Result: {
    Score: { Value: 80.851552438230939, Reason: 'Initial', Date: resultDate, Timeline: null },
    Validation: { SmsVerification: null, EmailVerification: null, TokenSms: null, TokenEmail: null },
    Ratings: [
      { Value: 0, RelatedTo: ['Document', 'Email'], Date: resultDate, Reason: 'Initial', Timeline: null },
      { Value: 0, RelatedTo: ['Document', 'Phone'], Date: resultDate, Reason: 'Initial', Timeline: null },
    ],
    Insights: [
      {
        Code: 'GER2151',
        Description: 'CPF com incidencia de compras positivas',
        Type: 'CPF',
        Category: 'Característica CPF',
        Relevance: 'Positivo',
        RelatedTo: ['Document'],
      },
      {
        Code: 'GER2117',
        Description: 'Estado de emissão do CPF: SP',
        Type: 'CPF',
        Category: 'Característica CPF',
        Relevance: 'Neutro',
        RelatedTo: ['Document'],
      },
    ],
  },
});

/** The two transactions of every search example (teste01 and teste02). */
export const searchedTransactionsExample = [
  searchedTransactionExample('teste01', '2019-09-13T14:35:35.614Z', '2019-09-13T14:35:35.607Z'),
  searchedTransactionExample('teste02', '2019-09-13T18:04:11.679Z', '2019-09-13T18:04:11.671Z'),
];

/** The answer of the search by parameter, by user and by period (identical in the three). */
export const searchPageResponseExample = {
  location: 1,
  totalPages: 10,
  totalTransactions: 195,
  Transactions: searchedTransactionsExample,
};

/** The answer of the search by list of ids. */
export const idsListResponseExample = { Transactions: searchedTransactionsExample };

export const searchErrorBodyExample = { value: ['The value field is required.'] };

export const tokenValidationResponseExample = {
  result: 'Valid|Incorrect|Invalid|Expired',
  date: '2019-06-07T12:45:00.000',
};

export const smsConfigurationRequestExample = {
  Text: 'Olá {primeiro-nome}, você confirma a compra do pedido? {respostas}',
  Active: true,
  SmsTypeId: 2,
};

export const smsConfigurationResponseExample = {
  Text: 'Olá {primeiro-nome}, você confirma a compra do pedido? {respostas}',
  Active: true,
  SmsTypeId: 2,
};

/** Printed as a JSON string inside braces, so not JSON at all. */
export const smsConfigurationErrorBodyExample = `{
    "O texto configurado para o SMS ultrapassa o limite de 160 caracteres"
}`;

export const entityConfigurationResponseExample = {
  creationDate: '2019-08-20T13:50:47.727',
  conditionalSmsSending: false,
};

export const webhookNotificationExample = {
  Code: '{CODIGO_DA_SUA_TRANSAÇÃO}',
  TypeId: 2,
  Description: '{DESCRIÇÃO_DA_ALTERAÇÃO}',
  Date: '2019-06-07T12:45:00.000',
};
