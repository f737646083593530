class Recurrent(Module):
  __parameters__ = []
  __buffers__ = []
  training : bool
  _is_full_backward_hook : Optional[bool]
  lstm : __torch__.torch.nn.modules.rnn.LSTM
  gru : __torch__.torch.nn.modules.rnn.GRU
  def forward(self: __torch__.Recurrent,
    x: Tensor,
    h0: Tuple[Tensor, Tensor]) -> Tuple[Tensor, Tensor, Tensor, Tensor]:
    gru = self.gru
    lstm = self.lstm
    hx, hx0, = h0
    _0, _1, _2, = (lstm).forward(x, hx, hx0, )
    input = torch.transpose(_0, 0, 1)
    _3, _4, = (gru).forward(input, )
    return (_3, _1, _2, _4)
