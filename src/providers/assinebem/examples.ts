/**
 * The document's example answers. As published they are not JSON: single quotes, placeholders
 * (`dt_criacao: dt_criacao`, `'parte': `, `Array`), comments and Python's `None`. Each raw text is
 * kept verbatim next to a faithful correction: the same keys, the placeholders replaced by
 * realistic values of the documented type (strings stay strings where the example quotes them).
 */

export const rawExamples = {
  identifier: `{
'identifier': 'UUID'
}`,
  documentoRetorno: `{
"status_api": 999,
"mensagem": "descricao da resposta",
"documento": {
"id_documento_status": 9,
"descricao_documento_status": "status",
"identificacao_arquivo": "identificacao",
"nome_arquivo": "nome",
"dt_criacao": dt_criacao,
"id_externo": id_externo,
"identificador_documento": identificador_documento,
"nome_arquivo_assinado": "nome_arquivo_assinado",
"quadro_assinaturas": "quadro_assinaturas",
"hash_arquivo": "hash_arquivo",
"lista_partes": Array
}
}`,
  invalidar: `{
'status_api': 999,
'mensagem': 'descrição da resposta'
}`,
  parteStatus: `{
'status_api': 999,
'mensagem': 'descrição da resposta',
'id_externo': 'ID',
'id_status': 'ID',
'descricao': 'descrição do status em texto'
}`,
  parteAtualizar: `{
'status_api': 999,
'mensagem': 'descrição da resposta',
'parte':
}`,
  novoAcesso: `{
'sucesso': 0 // ou 1
}`,
  assinaturaStatus: `{
'id_externo_parte': 'ID',
'id_externo_documento': 'ID',
'identificador_assinatura': ''
}`,
  modelos: `{
'status_api': 999,
'mensagem': 'descricao da resposta',
'modelos': [{
'dt_alteracao': 'DD/MM/AAAA HH:MI:SS',
'nome': 'STRING',
'id_externo': 'ID_INTEIRO',
'dt_criacao': 'DD/MM/AAAA HH:MI:SS'
}]
}`,
  anexos: `{
'status_api': 999,
'mensagem': 'descricao da resposta',
'documento': {
'id_externo': None
'identificador_documento': None
'identificacao_arquivo': None
},
'anexos': < AnexoRetorno >
}`,
  anexoAprovado: `{
'status_api': 200,
'mensagem': 'descricao da resposta'
}`,
  anexoInvalidar: `{
'status_api': 200,
'mensagem': 'descricao da resposta',
'reenviado': 'INTEIRO'
}`,
  centrosCusto: `{
'status_api': 200,
'mensagem': 'descricao da resposta',
'centros_custo': Array<{
'id_centro_custo': 'INTEIRO'
'descricao': 'STRING'
}>
}`,
  parteUrl: `{
'status_api': 200,
'mensagem': 'descricao da resposta',
'url': 'STRING (URL ABSOLUTA)',
'assinatura': 'INTEIRO', // 0 ou 1
'validacao': 'INTEIRO', // 0 ou 1
'token': 'STRING (UUID)', // OPCIONAL
'dt_expiracao_token': 'STRING (dd/mm/yyyy hh:mi:ss)', // OPCIONAL
'id_externo_documento': 'ID único',
'id_externo_parte': 'ID único'
}`,
} as const;

/** The request example of ParteEnvio (8-) as published: also not JSON. */
export const rawParteEnvio = `{
'id_validacao_bloco': 999,
'nome': 'Joao da Silva',
'rg': '21000112-2',
'cpf': '11122233344455',
'id_tipo_documento': 0,
'descricao_documento': 'aaaa1111',
'documento': 'aaaa1111',
'email': 'usuario@dominio.com.br',
'ddd': 99,
'telefone': 11112222,
'id_tipo_telefone': 2,
'identificacao_parte': '',
'id_referencia': 'aaa111',
'acoes': Array< Tabela : parte_acoes >, // opcional
'ordem_assinatura': 99, // opcional
'notificar': 0, // opcional
'pessoa_preenche_dados': '0', // opcional
'validar_campos': '0', // opcional
'validar_anexos': '0', // opcional
'redirecionamentos': Array // opcional
}`;

const parteNoDocumento = {
  id_externo: '5b0f7a52-3c1e-4d7a-9a55-1f1f8d3c2b10',
  nome: 'Joao da Silva',
  cpf: '11122233344',
  email: 'usuario@dominio.com.br',
  ddd: 99,
  telefone: 11112222,
  id_status: '1',
  identificacao_parte: 'Emitente',
  ordem_assinatura: 0,
  acoes: ['ASSINAR', 'VISUALIZAR'],
  identificador_assinatura: '',
};

export const correctedExamples = {
  identifier: { identifier: '0b6c3f2e-8a4d-4c1b-9e7f-2d5a6b7c8d9e' },
  documentoRetorno: {
    status_api: 200,
    mensagem: 'descricao da resposta',
    documento: {
      // 9 in the document is a placeholder like status_api's 999: no such status (see statuses.ts).
      id_documento_status: 1,
      descricao_documento_status: 'Pendente',
      identificacao_arquivo: 'identificacao',
      nome_arquivo: 'nome',
      dt_criacao: '23/11/2025 06:50:00',
      id_externo: '9d1c0b8e-4f3a-4e2b-8c7d-6a5b4c3d2e1f',
      identificador_documento: '0b6c3f2e-8a4d-4c1b-9e7f-2d5a6b7c8d9e',
      nome_arquivo_assinado: 'nome_arquivo_assinado',
      quadro_assinaturas: '1',
      hash_arquivo: 'hash_arquivo',
      lista_partes: [parteNoDocumento],
    },
  },
  invalidar: { status_api: 200, mensagem: 'descrição da resposta' },
  parteStatus: {
    status_api: 200,
    mensagem: 'descrição da resposta',
    id_externo: '5b0f7a52-3c1e-4d7a-9a55-1f1f8d3c2b10',
    id_status: '1',
    descricao: 'Não validado',
  },
  parteAtualizar: {
    status_api: 200,
    mensagem: 'descrição da resposta',
    parte: { id_externo: '5b0f7a52-3c1e-4d7a-9a55-1f1f8d3c2b10', nome: 'Joao da Silva', id_status: 1 },
  },
  novoAcesso: { sucesso: 0 },
  assinaturaStatus: {
    id_externo_parte: '5b0f7a52-3c1e-4d7a-9a55-1f1f8d3c2b10',
    id_externo_documento: '9d1c0b8e-4f3a-4e2b-8c7d-6a5b4c3d2e1f',
    identificador_assinatura: '',
  },
  modelos: {
    status_api: 200,
    mensagem: 'descricao da resposta',
    modelos: [
      {
        dt_alteracao: '15/03/2024 14:30:00',
        nome: 'STRING',
        id_externo: '12',
        dt_criacao: '10/01/2024 09:00:00',
      },
    ],
  },
  anexos: {
    status_api: 200,
    mensagem: 'descricao da resposta',
    documento: { id_externo: null, identificador_documento: null, identificacao_arquivo: null },
    anexos: [],
  },
  anexoAprovado: { status_api: 200, mensagem: 'descricao da resposta' },
  anexoInvalidar: { status_api: 200, mensagem: 'descricao da resposta', reenviado: '1' },
  centrosCusto: {
    status_api: 200,
    mensagem: 'descricao da resposta',
    centros_custo: [{ id_centro_custo: '3', descricao: 'STRING' }],
  },
  parteUrl: {
    status_api: 200,
    mensagem: 'descricao da resposta',
    url: 'https://www.assinebem.com.br/assinatura/2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f',
    assinatura: '1',
    validacao: '0',
    token: '2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f',
    dt_expiracao_token: '24/11/2025 06:50:00',
    id_externo_documento: '9d1c0b8e-4f3a-4e2b-8c7d-6a5b4c3d2e1f',
    id_externo_parte: '5b0f7a52-3c1e-4d7a-9a55-1f1f8d3c2b10',
  },
};

/** ParteEnvio as published, corrected: `acoes` and `redirecionamentos` given real values. */
export const correctedParteEnvio = {
  id_validacao_bloco: 999,
  nome: 'Joao da Silva',
  rg: '21000112-2',
  cpf: '11122233344455',
  id_tipo_documento: 0,
  descricao_documento: 'aaaa1111',
  documento: 'aaaa1111',
  email: 'usuario@dominio.com.br',
  ddd: 99,
  telefone: 11112222,
  id_tipo_telefone: 2,
  identificacao_parte: '',
  id_referencia: 'aaa111',
  acoes: ['ASSINAR', 'VISUALIZAR'],
  ordem_assinatura: 99,
  notificar: 0,
  pessoa_preenche_dados: '0',
  validar_campos: '0',
  validar_anexos: '0',
  redirecionamentos: [],
};
